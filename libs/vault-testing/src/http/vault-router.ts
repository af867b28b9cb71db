import { newUuid } from '../util/ids.js';
import { safeRecord } from '../util/safe-object.js';
import type { Operation, SecretEngine } from '../engines/secret-engine.interface.js';
import type { CoreRequest } from '../state/core-request.interface.js';
import type { MountEntry } from '../state/mount-entry.js';
import type { Namespace } from '../state/namespace.js';
import type { VaultCore } from '../state/vault-core.js';
import type { Acl } from '../policy/index.js';
import { errorAnswer, JSON_HEADERS, resultAnswer, type HttpAnswer } from './http-answer.js';
import { parseJsonBody } from './parse-json-body.js';
import { wrapAnswer, wrapTtlOf } from './response-wrapping.js';
import type { RawRequest } from './raw-request.interface.js';
import type { ObservedRequest, RequestObserver } from './request-observer.interface.js';
import { tokenFrom } from './token-header.js';
import { VaultHttpError } from './vault-http.error.js';

const SEAL_EXEMPT = new Set([
  'sys/health',
  'sys/seal-status',
  'sys/unseal',
  'sys/leader',
  'sys/init',
]);

interface Route {
  engine: SecretEngine<CoreRequest>;
  mount: MountEntry;
  /** Path relative to the mount. */
  rel: string;
}

/** Turns one `/v1/...` request into Vault's answer: namespace, seal, token, ACL, engine, envelope. */
export class VaultRouter {
  constructor(
    private readonly core: VaultCore,
    private readonly sys: SecretEngine<CoreRequest>,
    private readonly observers: () => RequestObserver[] = () => [],
  ) {}

  async handle(raw: RawRequest): Promise<HttpAnswer> {
    try {
      return await this.route(raw);
    } catch (err) {
      return errorAnswer(err);
    }
  }

  private async route(raw: RawRequest): Promise<HttpAnswer> {
    const method = raw.method.toUpperCase();
    const listParam = raw.query.get('list');
    const isListQuery =
      method === 'GET' && listParam !== null && /^(1|t|true|TRUE|True)$/.test(listParam);
    let operation: Operation;
    switch (method) {
      case 'GET':
      case 'HEAD':
        operation = isListQuery ? 'list' : 'read';
        break;
      case 'LIST':
        operation = 'list';
        break;
      case 'POST':
      case 'PUT':
        operation = 'update';
        break;
      case 'PATCH':
        operation = 'patch';
        break;
      case 'DELETE':
        operation = 'delete';
        break;
      default:
        return { status: 405, headers: { ...JSON_HEADERS }, body: '{"errors":[]}\n' };
    }

    const { namespace, apiPath: resolvedPath } = this.resolveNamespace(raw);
    let apiPath = resolvedPath;
    if (this.core.sealed && !SEAL_EXEMPT.has(apiPath)) throw VaultHttpError.sealed();
    const limited = this.core.quotas.take(namespace.path + apiPath);
    if (limited) {
      const headers: Record<string, string> = {};
      if (this.core.quotas.responseHeaders) {
        headers['Retry-After'] = String(limited.retryAfter);
        headers['X-Ratelimit-Limit'] = String(limited.quota.rate);
        headers['X-Ratelimit-Remaining'] = '0';
      }
      throw new VaultHttpError(
        429,
        [`request path "${apiPath}": rate limit quota exceeded`],
        undefined,
        headers,
      );
    }
    if (method === 'HEAD' && apiPath !== 'sys/health')
      return { status: 405, headers: { ...JSON_HEADERS } };
    if (operation === 'list' && !apiPath.endsWith('/')) apiPath += '/';

    const body =
      method === 'POST' || method === 'PUT' || method === 'PATCH'
        ? parseJsonBody(raw.body)
        : safeRecord();
    const wrapTtl = wrapTtlOf(raw.headers);

    const route = this.findRoute(namespace, apiPath);
    const tokenId = tokenFrom(raw.headers);
    let token = this.core.tokens.lookup(tokenId);
    if (token && !namespace.path.startsWith(token.namespace)) token = undefined;
    const unauthenticated = route?.engine.isUnauthenticated?.(route.rel) ?? false;
    const acl: Acl | undefined = token ? this.core.aclFor(token) : undefined;
    const aclPath = token ? namespace.path.slice(token.namespace.length) + apiPath : apiPath;

    if (!route) {
      if (!token || !acl) throw VaultHttpError.invalidToken();
      if (!acl.allows(aclPath, capabilityFor(operation))) throw VaultHttpError.denied();
      throw VaultHttpError.noRoute(apiPath);
    }

    const request: CoreRequest = {
      operation,
      method: isListQuery ? 'LIST' : method,
      path: route.rel,
      apiPath,
      body,
      query: raw.query,
      headers: raw.headers,
      token,
      acl,
      namespace,
      mount: route.mount,
      core: this.core,
      remoteAddress: raw.remoteAddress,
      ...(raw.clientCertificate ? { clientCertificate: raw.clientCertificate } : {}),
      ...(raw.clientChain ? { clientChain: raw.clientChain } : {}),
    };
    if (operation === 'update' && route.engine.exists) {
      request.operation = route.engine.exists(request) ? 'update' : 'create';
    }

    const observed: ObservedRequest = {
      id: newUuid(),
      operation: request.operation,
      path: apiPath,
      namespace,
      body,
      token,
      mountType: route.mount.type,
      remoteAddress: raw.remoteAddress,
    };
    const observers = this.observers();
    for (const o of observers) o.onRequest(observed);

    let exhausted = false;
    try {
      if (!unauthenticated) {
        if (!token || !acl) throw VaultHttpError.invalidToken();
        // Vault counts a use before the policy check: a denied request spends one too.
        exhausted = this.core.tokens.use(token).exhausted;
        if (!acl.allows(aclPath, capabilityFor(request.operation))) throw VaultHttpError.denied();
        if (
          route.engine.needsSudo?.(route.rel, request.operation) &&
          !acl.allows(aclPath, 'sudo')
        ) {
          throw VaultHttpError.denied();
        }
      }
      const result = await route.engine.handle(request);
      let answer = resultAnswer(result, observed.id, route.mount.type);
      if (wrapTtl > 0) {
        const wrap = { ttl: wrapTtl, path: apiPath, namespace: namespace.path };
        answer = wrapAnswer(answer, result, this.core.wrapping, wrap);
      }
      for (const o of observers) o.onResponse(observed, answer.status, result);
      return answer;
    } catch (err) {
      const answer = errorAnswer(err);
      const message = err instanceof VaultHttpError ? err.errors.join('; ') : 'internal error';
      for (const o of observers) o.onResponse(observed, answer.status, undefined, message);
      return answer;
    } finally {
      if (exhausted && token) this.core.revokeToken(token.id);
    }
  }

  /** `X-Vault-Namespace` plus any leading path segments naming child namespaces. */
  private resolveNamespace(raw: RawRequest): { namespace: Namespace; apiPath: string } {
    const header = raw.headers['x-vault-namespace'];
    const headerPath =
      (Array.isArray(header) ? header[0] : header)?.trim().replace(/^\/+|\/+$/g, '') ?? '';
    const start = headerPath ? this.core.namespaceByPath(headerPath) : this.core.root;
    if (!start) throw new VaultHttpError(404, ['namespace not found']);
    let namespace: Namespace = start;
    let apiPath = raw.path.replace(/^\/+/, '');
    for (let hops = 0; hops < 32; hops++) {
      const slash = apiPath.indexOf('/');
      const head = slash === -1 ? apiPath : apiPath.slice(0, slash);
      const child: Namespace | undefined = namespace.children.get(head);
      if (!child) break;
      namespace = child;
      apiPath = slash === -1 ? '' : apiPath.slice(slash + 1);
    }
    return { namespace, apiPath };
  }

  private findRoute(ns: Namespace, apiPath: string): Route | undefined {
    if (apiPath === 'sys' || apiPath.startsWith('sys/')) {
      const mount = ns.mounts.get('sys/') as MountEntry;
      return { engine: this.sys, mount, rel: apiPath.slice(4) };
    }
    if (apiPath.startsWith('auth/')) {
      const under = apiPath.slice(5);
      const mount = ns.findAuthMount(under);
      if (!mount) return undefined;
      return { engine: mount.engine, mount, rel: under.slice(mount.path.length) };
    }
    const mount = ns.findMount(apiPath);
    if (!mount) return undefined;
    return { engine: mount.engine, mount, rel: apiPath.slice(mount.path.length) };
  }
}

function capabilityFor(op: Operation) {
  return op;
}
