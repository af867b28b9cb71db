import { VaultHttpError } from '../http/vault-http.error.js';
import type { VaultResult } from '../http/vault-result.interface.js';
import type { CoreRequest } from '../state/core-request.interface.js';
import { safeRecord } from '../util/safe-object.js';

/** `sys/capabilities-self` and `sys/capabilities`: a token's capabilities on some paths. */
export function capabilitiesRoute(req: CoreRequest, path: string): VaultResult | undefined {
  if (path !== 'capabilities-self' && path !== 'capabilities') return undefined;
  if (req.operation !== 'create' && req.operation !== 'update')
    throw VaultHttpError.unsupportedOperation();
  let token = req.token;
  if (path === 'capabilities') {
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
