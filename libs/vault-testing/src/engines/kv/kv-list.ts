import { VaultHttpError } from '../../http/vault-http.error.js';
import type { VaultResult } from '../../http/vault-result.interface.js';

/** Immediate children of `prefix` among `keys` (folders end in `/`), sorted; 404 when none. */
export function listChildren(keys: Iterable<string>, rawPrefix: string): VaultResult {
  const prefix = rawPrefix === '' || rawPrefix.endsWith('/') ? rawPrefix : `${rawPrefix}/`;
  const out = new Set<string>();
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    if (rest === '') continue;
    const slash = rest.indexOf('/');
    out.add(slash === -1 ? rest : rest.slice(0, slash + 1));
  }
  if (out.size === 0) throw VaultHttpError.notFound();
  return { data: { keys: [...out].sort() } };
}
