import { VaultHttpError } from '../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../http/vault-result.interface.js';
import type { CoreRequest } from '../state/core-request.interface.js';
import type { Namespace } from '../state/namespace.js';
import { isPlainObject } from '../util/safe-object.js';

const NAME = /^[A-Za-z0-9_-]+$/;

function describe(ns: Namespace) {
  return { custom_metadata: { ...ns.customMetadata }, id: ns.id, path: ns.path };
}

/** `sys/namespaces` (LIST) and `sys/namespaces/<name>` (create, read, delete). */
export function namespacesRoute(req: CoreRequest, path: string): VaultResult | undefined {
  const op = req.operation;
  const parent = req.namespace;
  if (path === 'namespaces' || path === 'namespaces/') {
    if (op !== 'list') throw VaultHttpError.unsupportedOperation();
    const children = [...parent.children.values()];
    if (!children.length) throw VaultHttpError.notFound();
    const keyInfo: Record<string, unknown> = {};
    for (const child of children)
      keyInfo[`${child.path.slice(parent.path.length)}`] = describe(child);
    return { data: { key_info: keyInfo, keys: Object.keys(keyInfo).sort() } };
  }
  const name = path.slice('namespaces/'.length).replace(/\/+$/, '');
  if (!NAME.test(name))
    throw VaultHttpError.badRequest(`invalid namespace name "${name.slice(0, 64)}"`);
  if (op === 'read') {
    const ns = parent.children.get(name);
    if (!ns) throw VaultHttpError.notFound();
    return { data: describe(ns) };
  }
  if (op === 'create' || op === 'update') {
    const meta: Record<string, string> = {};
    if (isPlainObject(req.body.custom_metadata)) {
      for (const [k, v] of Object.entries(req.body.custom_metadata)) meta[k] = String(v);
    }
    const ns = req.core.createNamespace(parent, name, meta);
    return { data: describe(ns) };
  }
  if (op === 'delete') {
    req.core.deleteNamespace(parent, name);
    return NO_CONTENT;
  }
  throw VaultHttpError.unsupportedOperation();
}
