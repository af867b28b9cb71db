import { randomBytes } from 'node:crypto';
import type { TestClock } from '../clock/test-clock.js';
import { Acl, DEFAULT_POLICY_HCL, parsePolicy, type AclPolicy } from '../policy/index.js';
import { VaultHttpError } from '../http/vault-http.error.js';
import type { EngineHost } from '../engines/engine-host.interface.js';
import type { SecretEngine } from '../engines/secret-engine.interface.js';
import { KvV1Engine } from '../engines/kv/kv-v1.engine.js';
import { KvV2Engine } from '../engines/kv/kv-v2.engine.js';
import { CubbyholeEngine } from '../engines/cubbyhole.engine.js';
import { NoRouteEngine } from '../engines/no-route.engine.js';
import { TokenAuthBackend } from '../auth/token-auth.backend.js';
import { newUuid, randomBase62 } from '../util/ids.js';
import { isPlainObject } from '../util/safe-object.js';
import { buildMount } from './build-mount.js';
import { Namespace } from './namespace.js';
import type { MountEntry } from './mount-entry.js';
import { checkNoConflict, checkNotReserved, normaliseMountPath, stringMap } from './mount-rules.js';
import type { MountSpec } from './mount-spec.interface.js';
import { TokenStore } from './token-store.js';
import type { TokenEntry } from './token-entry.js';
import { EngineRegistry } from './engine-registry.js';
import { LeaseStore } from './lease-store.js';
import { QuotaStore } from './quota-store.js';
import { WrappingStore } from './wrapping-store.js';

export type HealthMode =
  'active' | 'standby' | 'performance-standby' | 'dr-secondary' | 'uninitialized';

/** Everything the server knows: namespaces with their mounts and policies, tokens, seal state. */
export class VaultCore implements EngineHost {
  readonly tokens: TokenStore;
  readonly leases: LeaseStore;
  readonly quotas: QuotaStore;
  readonly wrapping: WrappingStore;
  readonly root: Namespace;
  readonly engines = new EngineRegistry();
  readonly unsealKey = randomBytes(32).toString('base64');
  readonly clusterName = `vault-cluster-${randomBytes(4).toString('hex')}`;
  readonly clusterId = newUuid();
  sealed = false;
  healthMode: HealthMode = 'active';
  /** Hooks run when a token is revoked (cubbyholes, leases). */
  private readonly cubbyholes: CubbyholeEngine[] = [];

  constructor(
    readonly clock: TestClock,
    readonly rootTokenId: string,
  ) {
    this.tokens = new TokenStore(clock);
    this.leases = new LeaseStore(clock);
    this.quotas = new QuotaStore(clock);
    this.wrapping = new WrappingStore(this.tokens, clock);
    this.tokens.onRevoke(token => {
      for (const c of this.cubbyholes) c.dropToken(token.id);
      this.leases.revokeByToken(token.id);
    });
    this.root = this.newNamespace('', 'root', undefined);
    this.tokens.createRoot(rootTokenId);
  }

  /** A namespace with a dev server's default mounts and the `default` policy. */
  newNamespace(
    path: string,
    id: string,
    parent: Namespace | undefined,
    meta: Record<string, string> = {},
  ) {
    const ns = new Namespace(path, id, parent, meta);
    this.mountInternal(
      ns,
      'cubbyhole/',
      'cubbyhole',
      'per-token private secret storage',
      null,
      true,
    );
    this.mountInternal(ns, 'identity/', 'identity', 'identity store', null, false);
    this.mountInternal(
      ns,
      'sys/',
      'system',
      'system endpoints used for control, policy and debugging',
      null,
      false,
    );
    if (ns.isRoot) {
      this.mountInternal(ns, 'secret/', 'kv', 'key/value secret storage', { version: '2' }, false);
    }
    this.mountAuthInternal(ns, 'token/', 'token', 'token based credentials');
    ns.policies.set('default', parsePolicy('default', DEFAULT_POLICY_HCL));
    ns.policyModified.set('default', this.clock.now());
    return ns;
  }

  // ---- namespaces -------------------------------------------------------------------------

  namespaceByPath(path: string): Namespace | undefined {
    const parts = path.split('/').filter(Boolean);
    let ns: Namespace | undefined = this.root;
    for (const part of parts) {
      ns = ns.children.get(part);
      if (!ns) return undefined;
    }
    return ns;
  }

  createNamespace(parent: Namespace, name: string, meta: Record<string, string> = {}): Namespace {
    const existing = parent.children.get(name);
    if (existing) return existing;
    const ns = this.newNamespace(`${parent.path}${name}/`, randomBase62(5), parent, meta);
    parent.children.set(name, ns);
    return ns;
  }

  deleteNamespace(parent: Namespace, name: string): void {
    const ns = parent.children.get(name);
    if (!ns) return;
    parent.children.delete(name);
    for (const token of this.tokens.all()) {
      if (token.namespace.startsWith(ns.path)) this.revokeToken(token.id);
    }
  }

  // ---- mounts -----------------------------------------------------------------------------

  enableMount(ns: Namespace, rawPath: string, spec: MountSpec): MountEntry {
    const path = normaliseMountPath(rawPath);
    if (typeof spec.type !== 'string' || spec.type === '') {
      throw VaultHttpError.badRequest('backend type must be specified as a string');
    }
    checkNotReserved(path);
    checkNoConflict(ns.mounts, path);
    let type = spec.type;
    const options: Record<string, string> | null = isPlainObject(spec.options)
      ? stringMap(spec.options)
      : null;
    let opts = options;
    if (type === 'kv-v2') {
      type = 'kv';
      opts = { ...(opts ?? {}), version: '2' };
    } else if (type === 'kv' && opts?.version !== undefined && !['1', '2'].includes(opts.version)) {
      throw VaultHttpError.badRequest(`invalid KV version "${opts.version}"`);
    }
    const engine = this.createEngine(type, opts);
    const mount = buildMount(path, type, spec, opts, engine, type);
    ns.mounts.set(path, mount);
    return mount;
  }

  disableMount(ns: Namespace, rawPath: string): void {
    const path = normaliseMountPath(rawPath);
    if (['sys/', 'cubbyhole/', 'identity/'].includes(path)) {
      throw VaultHttpError.badRequest(`cannot unmount "${path}"`);
    }
    ns.mounts.delete(path);
    this.engines.onUnmount?.(ns, path);
  }

  enableAuth(ns: Namespace, rawPath: string, spec: MountSpec): MountEntry {
    const path = normaliseMountPath(rawPath);
    if (typeof spec.type !== 'string' || spec.type === '') {
      throw VaultHttpError.badRequest('backend type must be specified as a string');
    }
    if (spec.type === 'token')
      throw VaultHttpError.badRequest('token credential backend cannot be instantiated');
    checkNoConflict(ns.authMounts, path);
    const factory = this.engines.authFactories.get(spec.type);
    if (!factory) throw VaultHttpError.badRequest(`plugin not found in the catalog: ${spec.type}`);
    const engine = factory(this);
    const mount = buildMount(
      path,
      spec.type,
      spec,
      isPlainObject(spec.options) ? stringMap(spec.options) : null,
      engine,
      'auth',
    );
    ns.authMounts.set(path, mount);
    return mount;
  }

  disableAuth(ns: Namespace, rawPath: string): void {
    const path = normaliseMountPath(rawPath);
    if (path === 'token/')
      throw VaultHttpError.badRequest('token credential backend cannot be disabled');
    ns.authMounts.delete(path);
  }

  private createEngine(type: string, options: Record<string, string> | null): SecretEngine {
    if (type === 'kv') {
      return options?.version === '2' ? new KvV2Engine(() => this.clock.now()) : new KvV1Engine();
    }
    const factory = this.engines.secretFactories.get(type);
    if (!factory) throw VaultHttpError.badRequest(`plugin not found in the catalog: ${type}`);
    return factory(this);
  }

  private mountInternal(
    ns: Namespace,
    path: string,
    type: string,
    description: string,
    options: Record<string, string> | null,
    local: boolean,
  ): void {
    let engine: SecretEngine;
    if (type === 'cubbyhole') {
      const cubby = new CubbyholeEngine();
      this.cubbyholes.push(cubby);
      engine = cubby;
    } else if (type === 'kv') {
      engine = this.createEngine('kv', options);
    } else {
      engine = new NoRouteEngine();
    }
    ns.mounts.set(
      path,
      buildMount(
        path,
        type,
        { type, description, local, sealWrap: type === 'system' },
        options,
        engine,
        type,
      ),
    );
  }

  private mountAuthInternal(ns: Namespace, path: string, type: string, description: string): void {
    ns.authMounts.set(
      path,
      buildMount(path, type, { type, description }, null, new TokenAuthBackend(), 'auth'),
    );
  }

  // ---- policies and tokens ----------------------------------------------------------------

  setPolicy(ns: Namespace, name: string, raw: string): AclPolicy {
    const lower = name.toLowerCase();
    if (lower === 'root') throw VaultHttpError.badRequest('cannot update "root" policy');
    const policy = parsePolicy(lower, raw);
    ns.policies.set(lower, policy);
    ns.policyModified.set(lower, this.clock.now());
    return policy;
  }

  deletePolicy(ns: Namespace, name: string): void {
    const lower = name.toLowerCase();
    if (lower === 'root' || lower === 'default') {
      throw VaultHttpError.badRequest(
        lower === 'default' ? 'cannot delete default policy' : `cannot delete "${lower}" policy`,
      );
    }
    ns.policies.delete(lower);
    ns.policyModified.delete(lower);
  }

  aclFor(token: TokenEntry): Acl {
    if (token.policies.includes('root')) return Acl.root();
    const ns = this.namespaceByPath(token.namespace) ?? this.root;
    const policies: AclPolicy[] = [];
    for (const name of token.policies) {
      const policy = ns.policies.get(name);
      if (policy) policies.push(policy);
    }
    return new Acl(policies);
  }

  revokeToken(id: string, orphanChildren = false): void {
    this.tokens.revoke(id, orphanChildren);
  }
}
