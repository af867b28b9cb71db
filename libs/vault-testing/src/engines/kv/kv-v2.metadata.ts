import { VaultHttpError } from '../../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../../http/vault-result.interface.js';
import { goDuration, parseDurationSeconds, rfc3339 } from '../../util/duration.js';
import { isPlainObject, safeRecord, type SafeRecord } from '../../util/safe-object.js';
import { kvBool } from './kv-v2.fields.js';
import type { KvV2Store } from './kv-v2.store.js';
import { asText } from '../../util/as-text.js';

/** `GET metadata/<key>`: every version's times and the key's settings. */
export function readKvV2Metadata(store: KvV2Store, key: string): VaultResult {
  const meta = store.keys.get(key);
  if (!meta) throw VaultHttpError.notFound();
  const versions = safeRecord();
  for (const [n, entry] of [...meta.versions.entries()].sort((a, b) => a[0] - b[0])) {
    versions[String(n)] = {
      created_time: rfc3339(entry.createdTime),
      deletion_time: store.deletionTimeText(entry, meta),
      destroyed: entry.destroyed,
    };
  }
  return {
    data: {
      cas_required: meta.casRequired,
      created_time: rfc3339(meta.createdTime),
      current_version: meta.currentVersion,
      custom_metadata: meta.customMetadata ? { ...meta.customMetadata } : null,
      delete_version_after: goDuration(meta.deleteVersionAfter),
      max_versions: meta.maxVersions,
      oldest_version: meta.oldestVersion,
      updated_time: rfc3339(meta.updatedTime),
      versions,
    },
  };
}

/** `POST metadata/<key>` (or `PATCH` with `patch`, which merges custom_metadata and needs the key). */
export function writeKvV2Metadata(
  store: KvV2Store,
  key: string,
  body: SafeRecord,
  patch: boolean,
): VaultResult {
  const now = store.now();
  const maxVersions = body.max_versions;
  const custom = body.custom_metadata;
  if (maxVersions !== undefined && !Number.isInteger(Number(maxVersions))) {
    throw VaultHttpError.badRequest('max_versions must be an integer');
  }
  let customMetadata: Record<string, string> | undefined;
  if (custom !== undefined && custom !== null) {
    if (!isPlainObject(custom)) {
      throw VaultHttpError.badRequest('custom_metadata must be a map of strings');
    }
    customMetadata = safeRecord() as Record<string, string>;
    const entries = Object.entries(custom);
    if (entries.length > 64) {
      throw VaultHttpError.badRequest('custom_metadata can only contain up to 64 keys');
    }
    for (const [k, v] of entries) {
      if (v === null && patch) continue;
      if (typeof v === 'object' && v !== null) {
        throw VaultHttpError.badRequest('custom_metadata values must be strings');
      }
      customMetadata[k] = String(v);
    }
  }
  const dva =
    body.delete_version_after === undefined
      ? undefined
      : parseDurationSeconds(body.delete_version_after, 0);
  let meta = store.keys.get(key);
  if (!meta) {
    if (patch) return { status: 404 };
    meta = store.newMetadata(now);
    store.keys.set(key, meta);
  }
  if (maxVersions !== undefined) meta.maxVersions = Number(maxVersions);
  if (body.cas_required !== undefined) meta.casRequired = kvBool(body.cas_required);
  if (dva !== undefined) meta.deleteVersionAfter = Math.max(0, dva);
  if (custom !== undefined) {
    if (patch && isPlainObject(custom)) {
      const merged = safeRecord() as Record<string, string>;
      Object.assign(merged, meta.customMetadata ?? {});
      for (const [k, v] of Object.entries(custom)) {
        if (v === null) delete merged[k];
        else merged[k] = asText(v);
      }
      meta.customMetadata = merged;
    } else {
      meta.customMetadata = customMetadata ?? null;
    }
  }
  meta.updatedTime = now;
  store.prune(meta);
  return NO_CONTENT;
}
