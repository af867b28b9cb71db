import { randomUUID } from 'node:crypto';
import { VaultHttpError } from '../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../http/vault-result.interface.js';
import type { EngineHost } from '../engines/engine-host.interface.js';
import type { EngineRequest, SecretEngine } from '../engines/secret-engine.interface.js';
import type { AuthMounts } from '../state/engine-registry.js';
import type { Namespace } from '../state/namespace.js';
import { parseDurationSeconds } from '../util/duration.js';
import { isPlainObject, type SafeRecord } from '../util/safe-object.js';
import { parseNumber, parseStringList, toBool } from './auth-params.js';
import { normalisePolicies } from './token-auth.backend.js';
import { authBlock } from './token-response.js';
import { asText } from '../util/as-text.js';

interface KubernetesRole {
  name: string;
  boundNames: string[];
  boundNamespaces: string[];
  audience: string;
  tokenPolicies: string[];
  tokenTtl: number;
  tokenMaxTtl: number;
  tokenPeriod: number;
  tokenNumUses: number;
  tokenNoDefaultPolicy: boolean;
}

interface ServiceAccount {
  name: string;
  namespace: string;
  uid: string;
  secretName: string;
}

/**
 * The `kubernetes` auth method. The JWT's claims are read but its signature is not verified and
 * no TokenReview is made: this is a test server.
 */
export class KubernetesBackend implements SecretEngine {
  private readonly roles = new Map<string, KubernetesRole>();
  private config: SafeRecord | undefined;

  constructor(private readonly core: EngineHost) {}

  isUnauthenticated(path: string): boolean {
    return path === 'login';
  }

  exists(req: EngineRequest): boolean {
    const m = /^role\/([^/]+)$/.exec(req.path);
    if (m) return this.roles.has(m[1]);
    return req.path === 'config' ? this.config !== undefined : true;
  }

  handle(req: EngineRequest): VaultResult {
    const op = req.operation;
    const write = op === 'create' || op === 'update';
    const path = req.path.replace(/\/$/, '');
    if (path === 'login') {
      if (!write) throw VaultHttpError.unsupportedOperation();
      return this.login(req);
    }
    if (path === 'config') {
      if (op === 'read') {
        if (!this.config) throw VaultHttpError.notFound();
        return { data: this.describeConfig() };
      }
      if (write) {
        this.writeConfig(req.body);
        return NO_CONTENT;
      }
      throw VaultHttpError.unsupportedOperation();
    }
    if (path === 'role') {
      if (op !== 'list') throw VaultHttpError.unsupportedOperation();
      if (!this.roles.size) throw VaultHttpError.notFound();
      return { data: { keys: [...this.roles.keys()].sort() } };
    }
    const m = /^role\/([^/]+)$/.exec(path);
    if (!m) throw VaultHttpError.unsupportedPath();
    const name = m[1];
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
      return NO_CONTENT;
    }
    throw VaultHttpError.unsupportedOperation();
  }

  writeConfig(body: SafeRecord): void {
    const next: SafeRecord = { ...(this.config ?? {}) };
    for (const key of [
      'kubernetes_host',
      'kubernetes_ca_cert',
      'pem_keys',
      'issuer',
      'disable_iss_validation',
      'disable_local_ca_jwt',
      'token_reviewer_jwt',
    ]) {
      if (body[key] !== undefined) next[key] = body[key];
    }
    if (typeof next.kubernetes_host !== 'string' || next.kubernetes_host === '') {
      throw VaultHttpError.badRequest('no host provided');
    }
    this.config = next;
  }

  private describeConfig() {
    const c = this.config ?? {};
    return {
      disable_iss_validation:
        c.disable_iss_validation === undefined ? true : toBool(c.disable_iss_validation),
      disable_local_ca_jwt: toBool(c.disable_local_ca_jwt),
      issuer: typeof c.issuer === 'string' ? c.issuer : '',
      kubernetes_ca_cert: typeof c.kubernetes_ca_cert === 'string' ? c.kubernetes_ca_cert : '',
      kubernetes_host: c.kubernetes_host,
      pem_keys: Array.isArray(c.pem_keys) ? c.pem_keys : [],
      token_reviewer_jwt_set:
        typeof c.token_reviewer_jwt === 'string' && c.token_reviewer_jwt !== '',
    };
  }

  writeRole(name: string, body: SafeRecord): KubernetesRole {
    const existing = this.roles.get(name);
    const names = parseStringList(body.bound_service_account_names) ?? existing?.boundNames ?? [];
    const namespaces =
      parseStringList(body.bound_service_account_namespaces) ?? existing?.boundNamespaces ?? [];
    if (!names.length)
      throw VaultHttpError.badRequest('"bound_service_account_names" can not be empty');
    if (!namespaces.length) {
      throw VaultHttpError.badRequest('"bound_service_account_namespaces" can not be empty');
    }
    if (names.length > 1 && names.includes('*')) {
      throw VaultHttpError.badRequest('can not mix "*" with values');
    }
    const dur = (key: string, current: number) =>
      body[key] === undefined ? current : parseDurationSeconds(body[key]);
    const role: KubernetesRole = {
      name,
      boundNames: names,
      boundNamespaces: namespaces,
      audience: typeof body.audience === 'string' ? body.audience : (existing?.audience ?? ''),
      tokenPolicies:
        parseStringList(body.token_policies ?? body.policies) ?? existing?.tokenPolicies ?? [],
      tokenTtl: dur('token_ttl', existing?.tokenTtl ?? 0),
      tokenMaxTtl: dur('token_max_ttl', existing?.tokenMaxTtl ?? 0),
      tokenPeriod: dur('token_period', existing?.tokenPeriod ?? 0),
      tokenNumUses: parseNumber(body.token_num_uses, existing?.tokenNumUses ?? 0),
      tokenNoDefaultPolicy:
        body.token_no_default_policy === undefined
          ? (existing?.tokenNoDefaultPolicy ?? false)
          : toBool(body.token_no_default_policy),
    };
    this.roles.set(name, role);
    return role;
  }

  private login(req: EngineRequest): VaultResult {
    const roleName = req.body.role;
    const jwt = req.body.jwt;
    if (typeof roleName !== 'string' || roleName === '')
      throw VaultHttpError.badRequest('missing role');
    if (typeof jwt !== 'string' || jwt === '') throw VaultHttpError.badRequest('missing jwt');
    const role = this.roles.get(roleName);
    if (!role) throw VaultHttpError.badRequest(`invalid role name "${roleName.slice(0, 64)}"`);
    if (!this.config) throw VaultHttpError.badRequest('could not load backend configuration');
    const sa = this.serviceAccountOf(jwt, req);
    if (!role.boundNames.includes('*') && !role.boundNames.includes(sa.name)) {
      throw new VaultHttpError(403, ['service account name not authorized']);
    }
    if (!role.boundNamespaces.includes('*') && !role.boundNamespaces.includes(sa.namespace)) {
      throw new VaultHttpError(403, ['namespace not authorized']);
    }
    const metadata = {
      role: role.name,
      service_account_name: sa.name,
      service_account_namespace: sa.namespace,
      service_account_secret_name: sa.secretName,
      service_account_uid: sa.uid,
    };
    const token = this.core.tokens.create({
      policies: normalisePolicies(role.tokenPolicies, role.tokenNoDefaultPolicy),
      namespace: req.namespace.path,
      noParent: true,
      ttl: role.tokenTtl || req.mount.config.default_lease_ttl,
      maxTtl: role.tokenMaxTtl,
      period: role.tokenPeriod,
      numUses: role.tokenNumUses,
      meta: metadata,
      displayName: `${req.mount.path.replace(/\/$/, '')}-${sa.namespace}-${sa.name}`,
      path: `auth/${req.mount.path}login`,
      entityId: randomUUID(),
      renewable: true,
    });
    return { auth: authBlock(token) };
  }

  /** Reads the service account from the (unverified) JWT payload. */
  private serviceAccountOf(jwt: string, req: EngineRequest): ServiceAccount {
    const parts = jwt.split('.');
    if (parts.length !== 3)
      throw VaultHttpError.badRequest('failed to parse JWT: not a compact JWS');
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      throw VaultHttpError.badRequest('failed to parse JWT: invalid payload');
    }
    if (!isPlainObject(claims))
      throw VaultHttpError.badRequest('failed to parse JWT: invalid payload');
    const exp = claims.exp;
    if (typeof exp === 'number' && exp * 1000 <= req.core.clock.now()) {
      throw new VaultHttpError(403, ['permission denied']);
    }
    const nested = isPlainObject(claims['kubernetes.io']) ? claims['kubernetes.io'] : undefined;
    const nestedSa =
      nested && isPlainObject(nested.serviceaccount) ? nested.serviceaccount : undefined;
    let name =
      str(claims['kubernetes.io/serviceaccount/service-account.name']) ?? str(nestedSa?.name);
    let namespace = str(claims['kubernetes.io/serviceaccount/namespace']) ?? str(nested?.namespace);
    const uid =
      str(claims['kubernetes.io/serviceaccount/service-account.uid']) ?? str(nestedSa?.uid) ?? '';
    const sub = str(claims.sub);
    const m = sub ? /^system:serviceaccount:([^:]+):([^:]+)$/.exec(sub) : null;
    if (m) {
      namespace ??= m[1];
      name ??= m[2];
    }
    if (!name || !namespace)
      throw VaultHttpError.badRequest('JWT is missing service account claims');
    return {
      name,
      namespace,
      uid,
      secretName: str(claims['kubernetes.io/serviceaccount/secret.name']) ?? '',
    };
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function describeRole(role: KubernetesRole) {
  return {
    alias_name_source: 'serviceaccount_uid',
    ...(role.audience ? { audience: role.audience } : {}),
    bound_service_account_names: [...role.boundNames],
    bound_service_account_namespace_selector: '',
    bound_service_account_namespaces: [...role.boundNamespaces],
    token_bound_cidrs: [],
    token_explicit_max_ttl: 0,
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

/** Seeds `auth.kubernetes`: enables the mount, writes a default config and the roles. */
export function seedKubernetes(
  core: AuthMounts,
  ns: Namespace,
  section: Record<string, unknown>,
): void {
  const path = `${asText(section.path ?? 'kubernetes').replace(/^\/+|\/+$/g, '')}/`;
  let mount = ns.authMounts.get(path);
  if (!mount) mount = core.enableAuth(ns, path, { type: 'kubernetes' });
  const backend = mount.engine;
  if (!(backend instanceof KubernetesBackend))
    throw new Error(`auth mount ${path} is not kubernetes`);
  const config = isPlainObject(section.config) ? section.config : {};
  backend.writeConfig({ kubernetes_host: 'https://kubernetes.default.svc', ...config });
  for (const [name, spec] of Object.entries((section.roles ?? {}) as Record<string, SafeRecord>)) {
    backend.writeRole(name, spec);
  }
}
