import type { EngineRequest, SecretEngine } from '../../engines/secret-engine.interface.js';
import { VaultHttpError } from '../../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../../http/vault-result.interface.js';
import type { RenewConnection } from '../../state/token-entry.js';
import type { SafeRecord } from '../../util/safe-object.js';
import { issueLoginToken } from '../token-fields.js';
import { chainsTo } from './cert-chain.js';
import { certificateMetadata, commonName } from './cert-identity.js';
import { describeCertRole, writeCertRole, type CertRole } from './cert-role.js';

const NO_CERT = 'no client certificate found';
const INVALID = 'invalid certificate or no client certificate supplied';

/**
 * The `cert` auth method: a login is proven by the client certificate of the TLS connection
 * (the server must run with `tls`), which must chain to a role's `certificate`. Renewals check
 * the connection's certificate again, as Vault does.
 */
export class CertBackend implements SecretEngine {
  private readonly roles = new Map<string, CertRole>();

  isUnauthenticated(path: string): boolean {
    return path === 'login';
  }

  exists(req: EngineRequest): boolean {
    const m = /^certs\/([^/]+)$/.exec(req.path);
    return m ? this.roles.has(m[1].toLowerCase()) : true;
  }

  handle(req: EngineRequest): VaultResult {
    const op = req.operation;
    const write = op === 'create' || op === 'update';
    const path = req.path.replace(/\/$/, '');
    if (path === 'login') {
      if (!write) throw new VaultHttpError(405, ['unsupported operation']);
      return this.login(req);
    }
    if (path === 'certs') {
      if (op !== 'list') throw VaultHttpError.unsupportedOperation();
      if (!this.roles.size) throw VaultHttpError.notFound();
      return { data: { keys: [...this.roles.keys()].sort() } };
    }
    const m = /^certs\/([^/]+)$/.exec(path);
    if (!m) throw VaultHttpError.unsupportedPath();
    const name = m[1].toLowerCase();
    const role = this.roles.get(name);
    if (op === 'read') {
      if (!role) throw VaultHttpError.notFound();
      return { data: describeCertRole(role) };
    }
    if (write) {
      this.writeRole(name, req.body);
      return NO_CONTENT;
    }
    if (op === 'delete') {
      this.roles.delete(name);
      return NO_CONTENT;
    }
    throw VaultHttpError.unsupportedOperation();
  }

  writeRole(name: string, body: SafeRecord): CertRole {
    const role = writeCertRole(name.toLowerCase(), this.roles.get(name.toLowerCase()), body);
    this.roles.set(role.name, role);
    return role;
  }

  private login(req: EngineRequest): VaultResult {
    const role = this.match(req, req.body.name);
    const cert = req.clientCertificate!;
    return issueLoginToken(req, role.token, {
      metadata: certificateMetadata(cert, role.name),
      name: role.displayName,
      renewCheck: connection => {
        const again = this.match({ ...connection, core: req.core }, role.name);
        if (again.name !== role.name) throw VaultHttpError.badRequest(INVALID);
      },
    });
  }

  /** The role (the named one, else the first by name) whose certificates trust the client's. */
  private match(
    connection: RenewConnection & Pick<EngineRequest, 'core'>,
    wanted: unknown,
  ): CertRole {
    const cert = connection.clientCertificate;
    if (!cert) throw VaultHttpError.badRequest(NO_CERT);
    const named = typeof wanted === 'string' && wanted !== '';
    const candidates = named
      ? [this.roles.get(wanted.toLowerCase())].filter((r): r is CertRole => r !== undefined)
      : [...this.roles.values()].sort((a, b) => a.name.localeCompare(b.name));
    const now = connection.core.clock.now();
    const presented = connection.clientChain ?? [];
    const role = candidates.find(
      r =>
        chainsTo(cert, presented, r.trusted, now) &&
        (!r.allowedCommonNames.length ||
          r.allowedCommonNames.some(n => globMatch(n, commonName(cert)))),
    );
    if (!role) throw VaultHttpError.badRequest(INVALID);
    return role;
  }
}

/** `allowed_common_names` globs: `*` matches any run of characters. */
function globMatch(pattern: string, value: string): boolean {
  const escaped = pattern.split('*').map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(value);
}
