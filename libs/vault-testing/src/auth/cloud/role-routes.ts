import type { EngineRequest } from '../../engines/secret-engine.interface.js';
import { VaultHttpError } from '../../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../../http/vault-result.interface.js';
import type { SafeRecord } from '../../util/safe-object.js';

/**
 * `role` (LIST) and `role/<name>` (read, write, delete) of an auth method. Role names are
 * case-insensitive, as the cloud plugins store them lower-cased.
 */
export function crudRoutes<R>(
  req: EngineRequest,
  path: string,
  roles: Map<string, R>,
  write: (name: string, body: SafeRecord, existing?: R) => R,
  describe: (role: R) => Record<string, unknown>,
): VaultResult {
  const op = req.operation;
  if (path === 'role' || path === 'roles') {
    if (op !== 'list') throw VaultHttpError.unsupportedOperation();
    if (!roles.size) throw VaultHttpError.notFound();
    return { data: { keys: [...roles.keys()].sort() } };
  }
  const m = /^roles?\/([\w.@-]+)$/.exec(path);
  if (!m) throw VaultHttpError.unsupportedPath();
  const name = m[1].toLowerCase();
  if (op === 'read') {
    const role = roles.get(name);
    if (!role) throw VaultHttpError.notFound();
    return { data: describe(role) };
  }
  if (op === 'create' || op === 'update') {
    roles.set(name, write(name, req.body, roles.get(name)));
    return NO_CONTENT;
  }
  if (op === 'delete') {
    roles.delete(name);
    return NO_CONTENT;
  }
  throw VaultHttpError.unsupportedOperation();
}
