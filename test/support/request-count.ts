/**
 * How often the in-memory server was asked for one route, looked up so that a typo cannot make a
 * count silently 0: the key is the server's own (`'GET /v1/auth/token/lookup-self'`), and the
 * route must be one the server serves (a root-token probe of it must not answer "unsupported path"
 * or "no handler for route"). The probe runs after the count is taken and is a read: only GET and
 * LIST routes can be counted this way.
 */
import type { VaultTarget } from './vault-target.js';

export type CountedMethod = 'GET' | 'LIST';

export class UnknownRouteError extends Error {}

export async function requestCount(
  target: Pick<VaultTarget, 'url' | 'rootToken' | 'memory'>,
  method: CountedMethod,
  path: string,
): Promise<number> {
  const memory = target.memory;
  if (!memory) throw new UnknownRouteError('requestCount needs the in-memory server (its stats)');
  if (method !== 'GET' && method !== 'LIST') {
    throw new UnknownRouteError(`requestCount counts GET or LIST requests, not ${String(method)}`);
  }
  if (!/^\/v1\/[^?#\s]+$/.test(path)) {
    throw new UnknownRouteError(`not a Vault API path (want /v1/<path>, no query): ${path}`);
  }
  const count = memory.stats().byRoute[`${method} ${path}`] ?? 0;
  const query = method === 'LIST' ? '?list=true' : '';
  const probe = await fetch(`${target.url}${path}${query}`, {
    headers: { 'X-Vault-Token': target.rootToken },
  }).catch(() => undefined);
  const text = probe ? await probe.text() : '';
  if (!probe || (probe.status === 404 && /unsupported path|no handler for route/.test(text))) {
    throw new UnknownRouteError(`the server has no route ${method} ${path}`);
  }
  return count;
}
