import { randomUUID, type KeyObject } from 'node:crypto';
import { VaultHttpError } from '../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../http/vault-result.interface.js';
import type { EngineHost } from '../engines/engine-host.interface.js';
import type { EngineRequest, SecretEngine } from '../engines/secret-engine.interface.js';
import type { AuthMounts } from '../state/engine-registry.js';
import type { Namespace } from '../state/namespace.js';
import { isPlainObject, type SafeRecord } from '../util/safe-object.js';
import { toBool } from './auth-params.js';
import { parsePublicKeys } from './jwt/jwt-signature.js';
import {
  describeKubernetesRole,
  parseKubernetesRole,
  type KubernetesRole,
} from './kubernetes/kubernetes-role.js';
import { serviceAccountFromJwt } from './kubernetes/service-account-jwt.js';
import { reviewToken } from './kubernetes/token-review.js';
import { normalisePolicies } from './token-auth.backend.js';
import { authBlock } from './token-response.js';
import { asText } from '../util/as-text.js';

/**
 * The `kubernetes` auth method, checking a login as Vault's plugin does: the JWT's `exp`, the
 * role's audience in `aud`, its signature when `pem_keys` are configured, the role's service
 * account name and namespace bindings, then a TokenReview at the configured `kubernetes_host`
 * (tests put a stand-in API server there) that must confirm the same service account.
 */
export class KubernetesBackend implements SecretEngine {
  private readonly roles = new Map<string, KubernetesRole>();
  private config: SafeRecord | undefined;
  private keys: KeyObject[] = [];

  constructor(private readonly core: EngineHost) {}

  isUnauthenticated(path: string): boolean {
    return path === 'login';
  }

  exists(req: EngineRequest): boolean {
    const m = /^role\/([^/]+)$/.exec(req.path);
    if (m) return this.roles.has(m[1]);
    return req.path === 'config' ? this.config !== undefined : true;
  }

  handle(req: EngineRequest): VaultResult | Promise<VaultResult> {
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
      return { data: describeKubernetesRole(role) };
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
    this.keys = parsePublicKeys(pemKeysOf(next.pem_keys));
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
    const role = parseKubernetesRole(name, body, this.roles.get(name));
    this.roles.set(name, role);
    return role;
  }

  private async login(req: EngineRequest): Promise<VaultResult> {
    const roleName = req.body.role;
    const jwt = req.body.jwt;
    if (typeof roleName !== 'string' || roleName === '')
      throw VaultHttpError.badRequest('missing role');
    if (typeof jwt !== 'string' || jwt === '') throw VaultHttpError.badRequest('missing jwt');
    const role = this.roles.get(roleName);
    if (!role) throw VaultHttpError.badRequest(`invalid role name "${roleName.slice(0, 64)}"`);
    const config = this.config;
    if (!config) throw new VaultHttpError(500, ['could not load backend configuration']);
    const sa = serviceAccountFromJwt(jwt, {
      now: req.core.clock.now(),
      audience: role.audience,
      keys: this.keys,
    });
    if (!role.boundNames.includes('*') && !role.boundNames.includes(sa.name)) {
      throw new VaultHttpError(403, ['service account name not authorized']);
    }
    if (!role.boundNamespaces.includes('*') && !role.boundNamespaces.includes(sa.namespace)) {
      throw new VaultHttpError(403, ['namespace not authorized']);
    }
    const reviewer = config.token_reviewer_jwt;
    await reviewToken(
      {
        host: String(config.kubernetes_host),
        caCert:
          typeof config.kubernetes_ca_cert === 'string' && config.kubernetes_ca_cert
            ? config.kubernetes_ca_cert
            : undefined,
        bearer: typeof reviewer === 'string' && reviewer !== '' ? reviewer : jwt,
        jwt,
        audiences: role.audience ? [role.audience] : sa.audiences,
      },
      sa,
    );
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
}

function pemKeysOf(value: unknown): string[] {
  if (typeof value === 'string') return value ? value.split(',') : [];
  return Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : [];
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
