import type { VaultClient } from '../client/vault.client.js';
import type { SourceReadResult } from './source-read-result.interface.js';
import { isObject } from '../utils/is-object.js';

/**
 * Whether a KV v2 secret still has the version read last time, from `GET <mount>/metadata/<path>`:
 * `current_version` equal and that version neither deleted nor destroyed. `'denied'` when the token
 * may not read metadata (the caller then reads the data instead); any other doubt answers false.
 */
export async function unchangedByMetadata(
  client: VaultClient,
  previous: SourceReadResult,
): Promise<boolean | 'denied'> {
  const { mount, path } = previous.source;
  const res = await client.request({ method: 'GET', path: `${mount}/metadata/${path}` });
  if (res.status === 403) return 'denied';
  if (res.status !== 200 || !isObject(res.body) || !isObject(res.body.data)) return false;
  const { current_version: current, versions } = res.body.data;
  if (typeof current !== 'number' || current !== previous.version) return false;
  const entry = isObject(versions) ? versions[String(current)] : undefined;
  return isObject(entry) && entry.destroyed !== true && !entry.deletion_time;
}
