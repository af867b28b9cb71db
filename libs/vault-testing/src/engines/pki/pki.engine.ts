import { VaultHttpError } from '../../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../../http/vault-result.interface.js';
import { rfc3339 } from '../../util/duration.js';
import { listChildren } from '../kv/kv-list.js';
import type { EngineRequest, SecretEngine } from '../secret-engine.interface.js';
import { normaliseSerial, PkiCertificates, type StoredCertificate } from './pki-certificates.js';
import { issueLeaf } from './pki-issue.js';
import { generateRootIssuer, type PkiIssuer } from './pki-issuer.js';
import { privateKeyPem } from './pki-keys.js';
import { parsePkiRole, pkiRoleData, type PkiRole } from './pki-role.js';

const NO_DEFAULT_ISSUER =
  '1 error occurred:\n\t* could not fetch the CA certificate (was one set?): no default issuer currently configured\n\n';
const NO_ISSUER_WARNING =
  'Issuing Certificate was set to default, but no default issuing certificate (configurable at /config/issuers) is currently set';

/**
 * The `pki` secrets engine, for what an app needs of it: a root CA generated inside the mount,
 * roles, issuing certificates (real X.509, signed by the CA's key), revocation and reading
 * certificates back. No CSR signing, intermediates, CRL/OCSP documents or ACME.
 */
export class PkiEngine implements SecretEngine {
  readonly #issuers: PkiIssuer[] = [];
  readonly #roles = new Map<string, PkiRole>();
  readonly #certificates = new PkiCertificates();

  isUnauthenticated(path: string): boolean {
    return path.startsWith('cert/');
  }

  exists(req: EngineRequest): boolean {
    const role = /^roles\/([^/]+)$/.exec(req.path);
    return role ? this.#roles.has(role[1]) : true;
  }

  async handle(req: EngineRequest): Promise<VaultResult> {
    const op = req.operation;
    const write = op === 'create' || op === 'update';
    const path = req.path.replace(/\/$/, '');
    if (path === 'roles' || path === 'certs') {
      if (op !== 'list') throw VaultHttpError.unsupportedOperation();
      return listChildren(path === 'roles' ? this.#roles.keys() : this.#certificates.serials(), '');
    }
    const generate = /^root\/generate\/(internal|exported)$/.exec(path);
    if (generate) {
      if (!write) throw VaultHttpError.unsupportedOperation();
      return this.#generateRoot(req, generate[1] === 'exported');
    }
    if (path === 'config/issuers') {
      if (op !== 'read') throw VaultHttpError.unsupportedOperation();
      return {
        data: { default: this.#issuers[0]?.id ?? '', default_follows_latest_issuer: false },
      };
    }
    if (path === 'revoke') {
      if (!write) throw VaultHttpError.unsupportedOperation();
      return this.#revoke(req);
    }
    const m = /^(roles|issue|cert)\/([^/]+)$/.exec(path);
    if (!m) throw VaultHttpError.unsupportedPath();
    const [, kind, name] = m as unknown as [string, string, string];
    if (kind === 'cert') {
      if (op !== 'read') throw VaultHttpError.unsupportedOperation();
      return this.#readCertificate(name);
    }
    if (kind === 'issue') {
      if (!write) throw VaultHttpError.unsupportedOperation();
      return this.#issue(req, name);
    }
    return this.#role(req, name);
  }

  #role(req: EngineRequest, name: string): VaultResult {
    switch (req.operation) {
      case 'read': {
        const role = this.#roles.get(name);
        if (!role) throw VaultHttpError.notFound();
        return { data: pkiRoleData(role) };
      }
      case 'create':
      case 'update': {
        const role = parsePkiRole(req.body);
        this.#roles.set(name, role);
        return {
          data: pkiRoleData(role),
          ...(this.#issuers.length ? {} : { warnings: [NO_ISSUER_WARNING] }),
        };
      }
      case 'delete':
        this.#roles.delete(name);
        return NO_CONTENT;
      default:
        throw VaultHttpError.unsupportedOperation();
    }
  }

  async #generateRoot(req: EngineRequest, exported: boolean): Promise<VaultResult> {
    const warnings: string[] = [];
    const now = req.core.clock.now();
    const issuer = await generateRootIssuer(req.body, req.mount, now, warnings);
    this.#issuers.push(issuer);
    this.#certificates.add({
      serial: issuer.serial,
      certificate: issuer.certificate,
      notAfter: issuer.notAfter,
      issuerId: issuer.id,
    });
    return {
      data: {
        certificate: issuer.certificate,
        expiration: issuer.notAfter / 1000,
        issuer_id: issuer.id,
        issuer_name: issuer.name,
        issuing_ca: issuer.certificate,
        key_id: issuer.keyId,
        key_name: '',
        ...(exported
          ? { private_key: privateKeyPem(issuer.key, 'der'), private_key_type: issuer.key.type }
          : {}),
        serial_number: issuer.serial,
      },
      warnings,
    };
  }

  async #issue(req: EngineRequest, name: string): Promise<VaultResult> {
    const role = this.#roles.get(name);
    if (!role) throw VaultHttpError.badRequest(`unknown role: ${name}`);
    const issuer = this.#issuers[0];
    if (!issuer) throw new VaultHttpError(500, [NO_DEFAULT_ISSUER]);
    const warnings: string[] = [];
    const issued = await issueLeaf(
      role,
      issuer,
      req.body,
      req.mount,
      req.core.clock.now(),
      warnings,
    );
    if (!role.noStore) this.#certificates.add(issued.stored);
    return { data: issued.data, warnings };
  }

  #revoke(req: EngineRequest): VaultResult {
    const raw = req.body.serial_number;
    if (typeof raw !== 'string' || raw.trim() === '') {
      throw VaultHttpError.badRequest(
        'The serial number or certificate to revoke must be provided.',
      );
    }
    const serial = normaliseSerial(raw);
    const issuer = this.#issuers.find(i => i.serial === serial);
    if (issuer) {
      throw VaultHttpError.badRequest(
        `adding issuer (id: ${issuer.id}) to its own CRL is not allowed`,
      );
    }
    const cert = this.#certificates.get(serial);
    if (!cert) throw VaultHttpError.badRequest(`certificate with serial ${serial} not found.`);
    const now = req.core.clock.now();
    if (cert.revokedAt === undefined && cert.notAfter <= now) {
      return {
        envelope: true,
        warnings: [
          `certificate with serial ${serial} already expired; refusing to add to CRL. ` +
            "Enable 'AllowExpiredCertRevocation' to allow revoking expired certificates.",
        ],
      };
    }
    cert.revokedAt ??= now;
    return { data: { ...revocation(cert), state: 'revoked' } };
  }

  #readCertificate(name: string): VaultResult {
    const cert =
      name === 'ca'
        ? this.#issuers[0] && this.#certificates.get(this.#issuers[0].serial)
        : this.#certificates.get(name);
    if (!cert) throw VaultHttpError.notFound();
    return {
      data: {
        certificate: cert.certificate,
        ...(cert.revokedAt !== undefined ? { issuer_id: cert.issuerId } : {}),
        ...revocation(cert),
      },
    };
  }
}

function revocation(cert: StoredCertificate): Record<string, unknown> {
  if (cert.revokedAt === undefined) return { revocation_time: 0, revocation_time_rfc3339: '' };
  return {
    revocation_time: Math.floor(cert.revokedAt / 1000),
    revocation_time_rfc3339: rfc3339(cert.revokedAt),
  };
}
