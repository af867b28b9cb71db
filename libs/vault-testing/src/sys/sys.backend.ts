import { PolicyParseError } from '../policy/index.js';
import { VaultHttpError } from '../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../http/vault-result.interface.js';
import type { EngineRequest, Operation, SecretEngine } from '../engines/secret-engine.interface.js';
import { describeMount, type MountEntry } from '../state/mount-entry.js';
import type { Namespace } from '../state/namespace.js';
import type { MountSpec } from '../state/vault-core.js';
import { safeRecord } from '../util/safe-object.js';
import { health, sealStatus } from './health.handler.js';
import { hasAccessUnder } from './mount-access.js';

const UNAUTHENTICATED = [
  /^health$/,
  /^seal-status$/,
  /^unseal$/,
  /^leader$/,
  /^init$/,
  /^internal\/ui\/mounts(\/.*)?$/,
];
const SUDO = [
  /^seal$/,
  /^auth\/.+/,
  /^audit$/,
  /^audit\/.+/,
  /^rotate$/,
  /^raw(\/.*)?$/,
  /^leases\/lookup\/.*/,
  /^(leases\/)?revoke-(prefix|force)\/.*/,
  /^step-down$/,
];

export type SysRoute = (
  req: EngineRequest,
  rest: string,
) => VaultResult | Promise<VaultResult> | undefined;

/** The `sys/` backend. Feature routes (namespaces, leases, audit) plug in with `addRoute`. */
export class SysBackend implements SecretEngine {
  private readonly extraRoutes: Array<{ prefix: string; route: SysRoute }> = [];
  private readonly extraUnauthenticated: RegExp[] = [];
  private readonly extraSudo: RegExp[] = [];

  addRoute(
    prefix: string,
    route: SysRoute,
    options: { sudo?: RegExp[]; unauthenticated?: RegExp[] } = {},
  ) {
    this.extraRoutes.push({ prefix, route });
    this.extraSudo.push(...(options.sudo ?? []));
    this.extraUnauthenticated.push(...(options.unauthenticated ?? []));
  }

  isUnauthenticated(path: string): boolean {
    return [...UNAUTHENTICATED, ...this.extraUnauthenticated].some(re => re.test(path));
  }

  needsSudo(path: string, _operation: Operation): boolean {
    return [...SUDO, ...this.extraSudo].some(re => re.test(path));
  }

  async handle(req: EngineRequest): Promise<VaultResult> {
    const path = req.path;
    const op = req.operation;
    const write = op === 'create' || op === 'update';
    const core = req.core;
    const ns = req.namespace;

    if (path === 'health') {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new VaultHttpError(405, []);
      return health(core, req.query, req.method === 'HEAD');
    }
    if (path === 'seal-status') {
      if (op !== 'read') throw new VaultHttpError(405, []);
      return { raw: sealStatus(core) };
    }
    if (path === 'seal') {
      if (!write) throw new VaultHttpError(405, []);
      core.sealed = true;
      return NO_CONTENT;
    }
    if (path === 'unseal') {
      if (!write) throw new VaultHttpError(405, []);
      return this.unseal(req);
    }
    if (path === 'leader') {
      if (op !== 'read') throw new VaultHttpError(405, []);
      return {
        raw: {
          ha_enabled: false,
          is_self: false,
          active_time: '0001-01-01T00:00:00Z',
          leader_address: '',
          leader_cluster_address: '',
          performance_standby: false,
          performance_standby_last_remote_wal: 0,
        },
      };
    }
    if (path === 'init') {
      if (op !== 'read') throw new VaultHttpError(405, []);
      return { raw: { initialized: core.healthMode !== 'uninitialized' } };
    }

    if (path === 'mounts') {
      if (op !== 'read') throw VaultHttpError.unsupportedOperation();
      return { data: describeAll(ns.mounts), mergeTopLevel: true };
    }
    if (path.startsWith('mounts/')) return this.mounts(req, path.slice('mounts/'.length));
    if (path === 'auth') {
      if (op !== 'read') throw VaultHttpError.unsupportedOperation();
      return { data: describeAll(ns.authMounts), mergeTopLevel: true };
    }
    if (path.startsWith('auth/')) return this.auth(req, path.slice('auth/'.length));

    if (path === 'internal/ui/mounts') return this.uiMounts(req);
    if (path.startsWith('internal/ui/mounts/'))
      return this.uiMount(req, path.slice('internal/ui/mounts/'.length));

    if (path === 'capabilities-self' || path === 'capabilities') {
      if (!write) throw VaultHttpError.unsupportedOperation();
      return this.capabilities(req, path === 'capabilities-self');
    }

    if (path === 'policies/acl' || path === 'policies/acl/') {
      if (op !== 'list') throw VaultHttpError.unsupportedOperation();
      return { data: { keys: policyNames(ns) } };
    }
    if (path.startsWith('policies/acl/'))
      return this.policy(req, path.slice('policies/acl/'.length), false);
    if (path === 'policy') {
      if (op !== 'read') throw VaultHttpError.unsupportedOperation();
      const names = policyNames(ns);
      return { data: { keys: names, policies: names }, mergeTopLevel: true };
    }
    if (path.startsWith('policy/')) return this.policy(req, path.slice('policy/'.length), true);

    for (const { prefix, route } of this.extraRoutes) {
      if (
        path === prefix ||
        path.startsWith(`${prefix}/`) ||
        (prefix.endsWith('/') && path.startsWith(prefix))
      ) {
        const result = await route(req, path);
        if (result) return result;
      }
    }
    throw VaultHttpError.unsupportedPath();
  }

  private unseal(req: EngineRequest): VaultResult {
    const core = req.core;
    if (req.body.reset === true) return { raw: sealStatus(core) };
    const key = req.body.key;
    if (typeof key !== 'string' || key === '') {
      throw VaultHttpError.badRequest(
        "'key' must be specified in request body as JSON, or 'reset' set to true",
      );
    }
    const hex = Buffer.from(core.unsealKey, 'base64').toString('hex');
    const isHex = /^[0-9a-fA-F]+$/.test(key) && key.length % 2 === 0;
    const isBase64 = /^[A-Za-z0-9+/]+={0,2}$/.test(key) && key.length % 4 === 0;
    if (!isHex && !isBase64) {
      throw VaultHttpError.badRequest("'key' must be a valid hex or base64 string");
    }
    if (key !== core.unsealKey && key.toLowerCase() !== hex) {
      throw VaultHttpError.badRequest(
        'unable to retrieve stored keys: invalid key: failed to decrypt keys from storage: cipher: message authentication failed',
      );
    }
    core.sealed = false;
    return { raw: sealStatus(core) };
  }

  private mounts(req: EngineRequest, rest: string): VaultResult {
    const { core, namespace: ns, operation: op } = req;
    if (rest.endsWith('/tune') || rest.endsWith('/tune/')) {
      const mount = ns.findMount(rest.replace(/\/tune\/?$/, ''));
      if (!mount)
        throw VaultHttpError.badRequest(
          `cannot fetch sysview for path "${rest.replace(/\/tune\/?$/, '')}/"`,
        );
      if (op === 'read') {
        return {
          data: {
            default_lease_ttl: mount.config.default_lease_ttl || 2764800,
            description: mount.description,
            force_no_cache: false,
            max_lease_ttl: mount.config.max_lease_ttl || 2764800,
            options: mount.options,
          },
          mergeTopLevel: true,
        };
      }
      if (op === 'create' || op === 'update') return NO_CONTENT;
      throw VaultHttpError.unsupportedOperation();
    }
    if (op === 'create' || op === 'update') {
      core.enableMount(ns, rest, mountSpecFrom(req.body));
      return NO_CONTENT;
    }
    if (op === 'delete') {
      core.disableMount(ns, rest);
      return NO_CONTENT;
    }
    if (op === 'read') {
      const mount = ns.mounts.get(rest.endsWith('/') ? rest : `${rest}/`);
      if (!mount)
        throw VaultHttpError.badRequest(`No secret engine mount at ${rest.replace(/\/$/, '')}/`);
      return { data: describeMount(mount), mergeTopLevel: true };
    }
    throw VaultHttpError.unsupportedOperation();
  }

  private auth(req: EngineRequest, rest: string): VaultResult {
    const { core, namespace: ns, operation: op } = req;
    if (rest.endsWith('/tune') || rest.endsWith('/tune/')) {
      if (op === 'read') {
        const mount = ns.authMounts.get(`${rest.replace(/\/tune\/?$/, '')}/`);
        if (!mount) throw VaultHttpError.badRequest('cannot fetch sysview for path');
        return {
          data: {
            default_lease_ttl: mount.config.default_lease_ttl || 2764800,
            description: mount.description,
            force_no_cache: false,
            max_lease_ttl: mount.config.max_lease_ttl || 2764800,
            token_type: 'default-service',
          },
          mergeTopLevel: true,
        };
      }
      if (op === 'create' || op === 'update') return NO_CONTENT;
      throw VaultHttpError.unsupportedOperation();
    }
    if (op === 'create' || op === 'update') {
      core.enableAuth(ns, rest, mountSpecFrom(req.body));
      return NO_CONTENT;
    }
    if (op === 'delete') {
      core.disableAuth(ns, rest);
      return NO_CONTENT;
    }
    if (op === 'read') {
      const mount = ns.authMounts.get(rest.endsWith('/') ? rest : `${rest}/`);
      if (!mount) throw VaultHttpError.badRequest(`No auth engine at ${rest.replace(/\/$/, '')}/`);
      return { data: describeMount(mount), mergeTopLevel: true };
    }
    throw VaultHttpError.unsupportedOperation();
  }

  private uiMounts(req: EngineRequest): VaultResult {
    if (req.operation !== 'read') throw VaultHttpError.unsupportedOperation();
    const secret = safeRecord();
    const auth = safeRecord();
    for (const mount of req.namespace.mounts.values()) {
      if (this.canSee(req, mount.path)) secret[mount.path] = describeMount(mount);
    }
    for (const mount of req.namespace.authMounts.values()) {
      if (this.canSee(req, `auth/${mount.path}`)) auth[mount.path] = describeMount(mount);
    }
    return { data: { auth, secret } };
  }

  private uiMount(req: EngineRequest, rest: string): VaultResult {
    if (req.operation !== 'read') throw VaultHttpError.unsupportedOperation();
    if (!req.token) throw VaultHttpError.invalidToken();
    let mount: MountEntry | undefined;
    let prefix = '';
    if (rest.startsWith('auth/')) {
      mount = req.namespace.findAuthMount(rest.slice('auth/'.length));
      prefix = 'auth/';
    } else {
      mount = req.namespace.findMount(rest);
    }
    if (!mount || !this.canSee(req, `${prefix}${mount.path}`)) {
      const shown = mount ? `${prefix}${mount.path}` : `${rest.split('/')[0] ?? ''}/`;
      throw new VaultHttpError(403, [
        `preflight capability check returned 403, please ensure client's policies grant access to path "${shown}"`,
      ]);
    }
    return { data: { ...describeMount(mount), path: mount.path } };
  }

  private canSee(req: EngineRequest, mountPath: string): boolean {
    if (!req.token) return false;
    const acl = req.acl ?? req.core.aclFor(req.token);
    if (req.token.policies.includes('root')) return true;
    const ns = req.core.namespaceByPath(req.token.namespace) ?? req.core.root;
    const relative = req.namespace.path.slice(ns.path.length) + mountPath;
    return hasAccessUnder(
      acl,
      req.token.policies.map(p => ns.policies.get(p)),
      relative,
    );
  }

  private capabilities(req: EngineRequest, self: boolean): VaultResult {
    let token = req.token;
    if (!self) {
      const id = req.body.token;
      token = typeof id === 'string' ? req.core.tokens.lookup(id) : undefined;
      if (!token) throw VaultHttpError.badRequest('invalid token');
    }
    if (!token) throw VaultHttpError.invalidToken();
    const raw = req.body.paths ?? req.body.path;
    const paths = Array.isArray(raw)
      ? raw.map(String)
      : typeof raw === 'string'
        ? raw.split(',')
        : [];
    if (paths.length === 0) throw VaultHttpError.badRequest('paths must be supplied');
    const acl = req.core.aclFor(token);
    const tokenNs = req.core.namespaceByPath(token.namespace) ?? req.core.root;
    const rel = req.namespace.path.slice(tokenNs.path.length);
    const data = safeRecord();
    let single: string[] | undefined;
    for (const p of paths) {
      const caps = acl.capabilities(rel + p.replace(/^\/+/, ''));
      data[p] = caps;
      single = caps;
    }
    if (paths.length === 1 && single) data.capabilities = single;
    return { data, mergeTopLevel: true };
  }

  private policy(req: EngineRequest, rawName: string, legacy: boolean): VaultResult {
    const { core, namespace: ns, operation: op } = req;
    const name = rawName.replace(/\/$/, '').toLowerCase();
    if (name === '') throw VaultHttpError.unsupportedOperation();
    if (op === 'read') {
      if (name === 'root') {
        return legacy
          ? { data: { name, rules: '' }, mergeTopLevel: true }
          : { data: { name, policy: '' } };
      }
      const policy = ns.policies.get(name);
      if (!policy) throw VaultHttpError.notFound();
      return legacy
        ? { data: { name, rules: policy.raw }, mergeTopLevel: true }
        : { data: { name, policy: policy.raw } };
    }
    if (op === 'create' || op === 'update') {
      const text = req.body.policy ?? (legacy ? req.body.rules : undefined);
      if (typeof text !== 'string' || text.trim() === '') {
        throw VaultHttpError.badRequest("'policy' parameter not supplied or empty");
      }
      try {
        core.setPolicy(ns, name, text);
      } catch (err) {
        if (err instanceof PolicyParseError) throw VaultHttpError.badRequest(err.message);
        throw err;
      }
      return NO_CONTENT;
    }
    if (op === 'delete') {
      core.deletePolicy(ns, name);
      return NO_CONTENT;
    }
    throw VaultHttpError.unsupportedOperation();
  }
}

function describeAll(map: Map<string, MountEntry>): Record<string, unknown> {
  const out = safeRecord();
  for (const [path, mount] of map) out[path] = describeMount(mount);
  return out;
}

function policyNames(ns: Namespace): string[] {
  const names = new Set([...ns.policies.keys()]);
  if (ns.isRoot) names.add('root');
  return [...names].sort();
}

/** The body of `POST sys/mounts/<path>` and `POST sys/auth/<path>` (same fields for both). */
function mountSpecFrom(body: EngineRequest['body']): MountSpec {
  return {
    type: body.type as string,
    description: body.description as string | undefined,
    options: body.options,
    config: body.config,
    local: body.local === true,
    sealWrap: body.seal_wrap === true,
  };
}
