import { randomUUID } from 'node:crypto';
import { VaultHttpError } from '../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../http/vault-result.interface.js';
import type { EngineRequest, SecretEngine } from '../engines/secret-engine.interface.js';
import type { VaultCore } from '../state/vault-core.js';
import type { Namespace } from '../state/namespace.js';
import { parseDurationSeconds } from '../util/duration.js';
import { rfc3339 } from '../util/duration.js';
import { parseMeta, parseNumber, parseStringList, toBool } from './auth-params.js';
import { normalisePolicies } from './token-auth.backend.js';
import { authBlock } from './token-response.js';
import type { SafeRecord } from '../util/safe-object.js';

const INVALID = 'invalid role or secret ID';

interface AppRole {
  name: string;
  roleId: string;
  bindSecretId: boolean;
  secretIdTtl: number;
  secretIdNumUses: number;
  tokenPolicies: string[];
  tokenTtl: number;
  tokenMaxTtl: number;
  tokenExplicitMaxTtl: number;
  tokenNumUses: number;
  tokenPeriod: number;
  tokenNoDefaultPolicy: boolean;
  entityId: string;
}

interface SecretId {
  secretId: string;
  accessor: string;
  role: string;
  createdAt: number;
  expireAt: number | undefined;
  /** Remaining uses; 0 = unlimited. */
  usesLeft: number;
  initialUses: number;
  ttl: number;
  metadata: Record<string, string> | null;
}

/** The `approle` auth method. */
export class AppRoleBackend implements SecretEngine {
  private readonly roles = new Map<string, AppRole>();
  private readonly secretIds = new Map<string, SecretId>();

  constructor(private readonly core: VaultCore) {}

  isUnauthenticated(path: string): boolean {
    return path === 'login';
  }

  exists(req: EngineRequest): boolean {
    const m = /^role\/([^/]+)$/.exec(req.path);
    return m ? this.roles.has((m[1] as string).toLowerCase()) : true;
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
    const name = (m[1] as string).toLowerCase();
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
        for (const [id, s] of this.secretIds) if (s.role === name) this.secretIds.delete(id);
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
    if (sub === 'secret-id') {
      if (op === 'list') {
        const keys = [...this.secretIds.values()]
          .filter(s => s.role === name && this.alive(s))
          .map(s => s.accessor);
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
      const entry = this.findSecret(name, req.body, sub.startsWith('secret-id-accessor'));
      if (!entry) {
        if (sub.startsWith('secret-id-accessor')) throw VaultHttpError.notFound();
        return NO_CONTENT;
      }
      return {
        data: {
          cidr_list: [],
          creation_time: rfc3339(entry.createdAt),
          expiration_time:
            entry.expireAt === undefined ? '0001-01-01T00:00:00Z' : rfc3339(entry.expireAt),
          last_updated_time: rfc3339(entry.createdAt),
          metadata: entry.metadata ?? {},
          secret_id_accessor: entry.accessor,
          secret_id_num_uses: entry.usesLeft,
          secret_id_ttl: entry.ttl,
          token_bound_cidrs: [],
        },
      };
    }
    if (sub === 'secret-id/destroy' || sub === 'secret-id-accessor/destroy') {
      if (!write && op !== 'delete') throw VaultHttpError.unsupportedOperation();
      const entry = this.findSecret(name, req.body, sub.startsWith('secret-id-accessor'));
      if (entry) this.secretIds.delete(entry.secretId);
      return NO_CONTENT;
    }
    throw VaultHttpError.unsupportedPath();
  }

  /** Creates or updates a role (used by the API and by seeds). */
  writeRole(name: string, body: SafeRecord): AppRole {
    const existing = this.roles.get(name);
    const role: AppRole = existing ?? {
      name,
      roleId: randomUUID(),
      bindSecretId: true,
      secretIdTtl: 0,
      secretIdNumUses: 0,
      tokenPolicies: [],
      tokenTtl: 0,
      tokenMaxTtl: 0,
      tokenExplicitMaxTtl: 0,
      tokenNumUses: 0,
      tokenPeriod: 0,
      tokenNoDefaultPolicy: false,
      entityId: randomUUID(),
    };
    const dur = (key: string, current: number) =>
      body[key] === undefined ? current : parseDurationSeconds(body[key]);
    const next: AppRole = {
      ...role,
      bindSecretId:
        body.bind_secret_id === undefined ? role.bindSecretId : toBool(body.bind_secret_id),
      secretIdTtl: dur('secret_id_ttl', role.secretIdTtl),
      secretIdNumUses: parseNumber(body.secret_id_num_uses, role.secretIdNumUses),
      tokenPolicies: parseStringList(body.token_policies ?? body.policies) ?? role.tokenPolicies,
      tokenTtl: dur('token_ttl', role.tokenTtl),
      tokenMaxTtl: dur('token_max_ttl', role.tokenMaxTtl),
      tokenExplicitMaxTtl: dur('token_explicit_max_ttl', role.tokenExplicitMaxTtl),
      tokenNumUses: parseNumber(body.token_num_uses, role.tokenNumUses),
      tokenPeriod: dur('token_period', dur('period', role.tokenPeriod)),
      tokenNoDefaultPolicy:
        body.token_no_default_policy === undefined
          ? role.tokenNoDefaultPolicy
          : toBool(body.token_no_default_policy),
    };
    if (next.secretIdNumUses < 0)
      throw VaultHttpError.badRequest('secret_id_num_uses cannot be negative');
    if (next.tokenMaxTtl > 0 && next.tokenTtl > next.tokenMaxTtl) {
      throw VaultHttpError.badRequest('"token_ttl" cannot be greater than "token_max_ttl"');
    }
    this.roles.set(name, next);
    if (typeof body.role_id === 'string' && body.role_id !== '') this.setRoleId(next, body.role_id);
    return next;
  }

  /** Issues a secret ID (custom when `secretId` is given). */
  issue(role: AppRole, secretId: string | undefined, body: SafeRecord) {
    const now = this.core.clock.now();
    const ttl = body.ttl === undefined ? role.secretIdTtl : parseDurationSeconds(body.ttl);
    const uses = body.num_uses === undefined ? role.secretIdNumUses : parseNumber(body.num_uses, 0);
    const id = secretId ?? randomUUID();
    if (this.secretIds.has(id)) throw VaultHttpError.badRequest('SecretID is already registered');
    const entry: SecretId = {
      secretId: id,
      accessor: randomUUID(),
      role: role.name,
      createdAt: now,
      expireAt: ttl > 0 ? now + ttl * 1000 : undefined,
      usesLeft: uses,
      initialUses: uses,
      ttl,
      metadata:
        typeof body.metadata === 'string' ? parseJsonMeta(body.metadata) : parseMeta(body.metadata),
    };
    this.secretIds.set(id, entry);
    return {
      secret_id: id,
      secret_id_accessor: entry.accessor,
      secret_id_num_uses: uses,
      secret_id_ttl: ttl,
    };
  }

  roleByName(name: string): AppRole | undefined {
    return this.roles.get(name.toLowerCase());
  }

  private setRoleId(role: AppRole, roleId: string): void {
    for (const other of this.roles.values()) {
      if (other !== role && other.roleId === roleId)
        throw VaultHttpError.badRequest('role_id already in use');
    }
    role.roleId = roleId;
  }

  private alive(entry: SecretId): boolean {
    if (entry.expireAt !== undefined && entry.expireAt <= this.core.clock.now()) {
      this.secretIds.delete(entry.secretId);
      return false;
    }
    return true;
  }

  private findSecret(role: string, body: SafeRecord, byAccessor: boolean): SecretId | undefined {
    if (byAccessor) {
      const accessor = body.secret_id_accessor;
      if (typeof accessor !== 'string')
        throw VaultHttpError.badRequest('missing secret_id_accessor');
      return [...this.secretIds.values()].find(
        s => s.role === role && s.accessor === accessor && this.alive(s),
      );
    }
    const id = body.secret_id;
    if (typeof id !== 'string') throw VaultHttpError.badRequest('missing secret_id');
    const entry = this.secretIds.get(id);
    return entry && entry.role === role && this.alive(entry) ? entry : undefined;
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
      const entry = this.secretIds.get(sid);
      if (!entry || entry.role !== role.name || !this.alive(entry))
        throw VaultHttpError.badRequest(INVALID);
      secretMeta = entry.metadata;
      if (entry.usesLeft > 0) {
        entry.usesLeft -= 1;
        if (entry.usesLeft === 0) this.secretIds.delete(entry.secretId);
      }
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

function parseJsonMeta(text: string): Record<string, string> | null {
  try {
    return parseMeta(JSON.parse(text));
  } catch {
    throw VaultHttpError.badRequest('failed to parse metadata');
  }
}

function describeRole(role: AppRole) {
  return {
    bind_secret_id: role.bindSecretId,
    local_secret_ids: false,
    secret_id_bound_cidrs: null,
    secret_id_num_uses: role.secretIdNumUses,
    secret_id_ttl: role.secretIdTtl,
    token_bound_cidrs: [],
    token_explicit_max_ttl: role.tokenExplicitMaxTtl,
    token_max_ttl: role.tokenMaxTtl,
    token_no_default_policy: role.tokenNoDefaultPolicy,
    token_num_uses: role.tokenNumUses,
    token_period: role.tokenPeriod,
    token_policies: [...role.tokenPolicies],
    token_strictly_bind_ip: false,
    token_ttl: role.tokenTtl,
    token_type: 'default',
  };
}

/** Seeds `auth.approle`: enables the mount if needed, writes roles with fixed role/secret IDs. */
export function seedAppRole(
  core: VaultCore,
  ns: Namespace,
  section: Record<string, unknown>,
): void {
  const path = `${String(section.path ?? 'approle').replace(/^\/+|\/+$/g, '')}/`;
  let mount = ns.authMounts.get(path);
  if (!mount) mount = core.enableAuth(ns, path, { type: 'approle' });
  const backend = mount.engine;
  if (!(backend instanceof AppRoleBackend)) throw new Error(`auth mount ${path} is not approle`);
  const roles = (section.roles ?? {}) as Record<string, SafeRecord>;
  for (const [name, spec] of Object.entries(roles)) {
    const role = backend.writeRole(name.toLowerCase(), spec);
    if (typeof spec.secret_id === 'string' && spec.secret_id !== '') {
      backend.issue(role, spec.secret_id, {});
    }
  }
}
