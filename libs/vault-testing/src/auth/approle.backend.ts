import { VaultHttpError } from '../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../http/vault-result.interface.js';
import type { EngineHost } from '../engines/engine-host.interface.js';
import type { EngineRequest, SecretEngine } from '../engines/secret-engine.interface.js';
import type { SafeRecord } from '../util/safe-object.js';
import { applyRoleFields, describeRole, newAppRole, type AppRole } from './approle-role.js';
import { describeSecretId, SecretIdStore } from './approle-secret-ids.js';
import { normalisePolicies } from './token-auth.backend.js';
import { authBlock } from './token-response.js';

const INVALID = 'invalid role or secret ID';

/** The `approle` auth method. */
export class AppRoleBackend implements SecretEngine {
  private readonly roles = new Map<string, AppRole>();
  private readonly secretIds: SecretIdStore;

  constructor(private readonly core: EngineHost) {
    this.secretIds = new SecretIdStore(() => this.core.clock.now());
  }

  isUnauthenticated(path: string): boolean {
    return path === 'login';
  }

  exists(req: EngineRequest): boolean {
    const m = /^role\/([^/]+)$/.exec(req.path);
    return m ? this.roles.has(m[1].toLowerCase()) : true;
  }

  handle(req: EngineRequest): VaultResult {
    const op = req.operation;
    const write = op === 'create' || op === 'update';
    const path = req.path.replace(/\/$/, '');
    if (path === 'login') {
      if (!write) throw VaultHttpError.unsupportedOperation();
      return this.login(req);
    }
    if (path === 'role') {
      if (op !== 'list') throw VaultHttpError.unsupportedOperation();
      if (this.roles.size === 0) throw VaultHttpError.notFound();
      return { data: { keys: [...this.roles.keys()].sort() } };
    }
    const m = /^role\/([^/]+)(?:\/(.+))?$/.exec(path);
    if (!m) throw VaultHttpError.unsupportedPath();
    const name = m[1].toLowerCase();
    const sub = m[2];
    if (sub === undefined) {
      if (op === 'read') {
        const role = this.roles.get(name);
        if (!role) throw VaultHttpError.notFound();
        return { data: describeRole(role) };
      }
      if (write) {
        this.writeRole(name, req.body);
        return NO_CONTENT;
      }
      if (op === 'delete') {
        this.roles.delete(name);
        this.secretIds.dropRole(name);
        return NO_CONTENT;
      }
      throw VaultHttpError.unsupportedOperation();
    }
    const role = this.roles.get(name);
    if (sub === 'role-id') {
      if (op === 'read') {
        if (!role) throw VaultHttpError.notFound();
        return { data: { role_id: role.roleId } };
      }
      if (write) {
        if (!role) throw VaultHttpError.badRequest(`role "${name}" does not exist`);
        const roleId = req.body.role_id;
        if (typeof roleId !== 'string' || roleId === '')
          throw VaultHttpError.badRequest('missing role_id');
        this.setRoleId(role, roleId);
        return NO_CONTENT;
      }
      throw VaultHttpError.unsupportedOperation();
    }
    if (!role) {
      if (op === 'read') throw VaultHttpError.notFound();
      throw new VaultHttpError(404, [`role "${name}" does not exist`]);
    }
    return this.secretIdRoute(req, role, sub);
  }

  /** Creates or updates a role (used by the API and by seeds). */
  writeRole(name: string, body: SafeRecord): AppRole {
    const next = applyRoleFields(this.roles.get(name) ?? newAppRole(name), body);
    this.roles.set(name, next);
    if (typeof body.role_id === 'string' && body.role_id !== '') this.setRoleId(next, body.role_id);
    return next;
  }

  /** Issues a secret ID (custom when `secretId` is given). */
  issue(role: AppRole, secretId: string | undefined, body: SafeRecord) {
    return this.secretIds.issue(role, secretId, body);
  }

  roleByName(name: string): AppRole | undefined {
    return this.roles.get(name.toLowerCase());
  }

  /** `role/<name>/secret-id`, `custom-secret-id`, and their lookup and destroy paths. */
  private secretIdRoute(req: EngineRequest, role: AppRole, sub: string): VaultResult {
    const op = req.operation;
    const write = op === 'create' || op === 'update';
    const name = role.name;
    if (sub === 'secret-id') {
      if (op === 'list') {
        const keys = this.secretIds.accessorsOf(name);
        if (!keys.length) throw VaultHttpError.notFound();
        return { data: { keys } };
      }
      if (write) return { data: this.issue(role, undefined, req.body) };
      throw VaultHttpError.unsupportedOperation();
    }
    if (sub === 'custom-secret-id') {
      if (!write) throw VaultHttpError.unsupportedOperation();
      const secretId = req.body.secret_id;
      if (typeof secretId !== 'string' || secretId === '')
        throw VaultHttpError.badRequest('missing secret_id');
      return { data: this.issue(role, secretId, req.body) };
    }
    if (sub === 'secret-id/lookup' || sub === 'secret-id-accessor/lookup') {
      if (!write) throw VaultHttpError.unsupportedOperation();
      const entry = this.secretIds.find(name, req.body, sub.startsWith('secret-id-accessor'));
      if (!entry) {
        if (sub.startsWith('secret-id-accessor')) throw VaultHttpError.notFound();
        return NO_CONTENT;
      }
      return { data: describeSecretId(entry) };
    }
    if (sub === 'secret-id/destroy' || sub === 'secret-id-accessor/destroy') {
      if (!write && op !== 'delete') throw VaultHttpError.unsupportedOperation();
      const entry = this.secretIds.find(name, req.body, sub.startsWith('secret-id-accessor'));
      if (entry) this.secretIds.destroy(entry);
      return NO_CONTENT;
    }
    throw VaultHttpError.unsupportedPath();
  }

  private setRoleId(role: AppRole, roleId: string): void {
    for (const other of this.roles.values()) {
      if (other !== role && other.roleId === roleId)
        throw VaultHttpError.badRequest('role_id already in use');
    }
    role.roleId = roleId;
  }

  private login(req: EngineRequest): VaultResult {
    const roleId = req.body.role_id;
    if (typeof roleId !== 'string' || roleId === '')
      throw VaultHttpError.badRequest('missing role_id');
    const role = [...this.roles.values()].find(r => r.roleId === roleId);
    let secretMeta: Record<string, string> | null = null;
    if (role?.bindSecretId !== false) {
      const sid = req.body.secret_id;
      if (typeof sid !== 'string' || sid === '')
        throw VaultHttpError.badRequest('missing secret_id');
      if (!role) throw VaultHttpError.badRequest(INVALID);
      const entry = this.secretIds.redeem(role.name, sid);
      if (!entry) throw VaultHttpError.badRequest(INVALID);
      secretMeta = entry.metadata;
    }
    if (!role) throw VaultHttpError.badRequest(INVALID);
    const metadata: Record<string, string> = { ...(secretMeta ?? {}), role_name: role.name };
    const token = this.core.tokens.create({
      policies: normalisePolicies(role.tokenPolicies, role.tokenNoDefaultPolicy),
      namespace: req.namespace.path,
      noParent: true,
      ttl: role.tokenTtl || mountTtl(req),
      maxTtl: role.tokenMaxTtl,
      explicitMaxTtl: role.tokenExplicitMaxTtl,
      period: role.tokenPeriod,
      numUses: role.tokenNumUses,
      meta: metadata,
      displayName: `${req.mount.path.replace(/\/$/, '')}`,
      path: `auth/${req.mount.path}login`,
      entityId: role.entityId,
      renewable: true,
    });
    return { auth: authBlock(token) };
  }
}

function mountTtl(req: EngineRequest): number {
  return req.mount.config.default_lease_ttl || 0;
}
