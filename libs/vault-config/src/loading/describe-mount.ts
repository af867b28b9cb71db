import type { VaultClient } from '../client/vault.client.js';
import { statusError } from '../client/vault-response.js';
import { VaultResponseError } from '../errors/vault-response.error.js';
import { isObject } from '../utils/is-object.js';
import { vaultErrorStrings } from '../utils/safe-text.js';

/** What `sys/internal/ui/mounts/<mount>` says about a mount. */
export type MountDescription =
  | { readonly state: 'kv'; readonly version: 1 | 2 }
  | { readonly state: 'other'; readonly type: string }
  /** Nothing is mounted there (400 or 404). */
  | { readonly state: 'missing' }
  /** The token may not ask (403). */
  | { readonly state: 'denied'; readonly vaultErrors: string[] };

/**
 * Asks Vault what is mounted at `mount` (what the Vault CLI does to pick the KV version). An
 * answer without a `type` is taken as KV, as Vault before 1.x answered. Other statuses reject with
 * the status error; a 200 without a `data` object with VaultResponseError.
 */
export async function describeMount(client: VaultClient, mount: string): Promise<MountDescription> {
  const path = `sys/internal/ui/mounts/${mount}`;
  const res = await client.request({ method: 'GET', path });
  if (res.status === 403) return { state: 'denied', vaultErrors: vaultErrorStrings(res.body) };
  if (res.status === 400 || res.status === 404) return { state: 'missing' };
  if (res.status !== 200) throw statusError(res, path, 'read');
  const data = isObject(res.body) ? res.body.data : undefined;
  if (!isObject(data)) {
    throw new VaultResponseError({ path, status: res.status, reason: '"data" is not an object' });
  }
  if (data.type !== undefined && data.type !== 'kv' && data.type !== 'generic') {
    const t = data.type;
    const scalar = typeof t === 'string' || typeof t === 'number' || typeof t === 'boolean';
    const type = scalar ? String(t).slice(0, 40) : typeof t;
    return { state: 'other', type };
  }
  const version = isObject(data.options) ? data.options.version : undefined;
  return { state: 'kv', version: String(version) === '2' ? 2 : 1 };
}
