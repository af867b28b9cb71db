import { VaultHttpError } from '../../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../../http/vault-result.interface.js';
import { goDuration, parseDurationSeconds } from '../../util/duration.js';
import { deepClone, isPlainObject, safeRecord, type SafeRecord } from '../../util/safe-object.js';
import type { EngineRequest, SecretEngine } from '../secret-engine.interface.js';
import { listChildren } from './kv-list.js';
import { jsonMergePatch } from './json-merge-patch.js';
import { kvBool, notAMap } from './kv-v2.fields.js';
import { readKvV2Metadata, writeKvV2Metadata } from './kv-v2.metadata.js';
import { splitKvV2Path } from './kv-v2.paths.js';
import { KvV2Store, type KvKeyMetadata, type KvV2Config } from './kv-v2.store.js';

const INVALID_PATH_WARNING =
  "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.";

/** KV version 2 (`hashicorp/vault-plugin-secrets-kv`), versioned, in memory. */
export class KvV2Engine implements SecretEngine {
  private readonly store: KvV2Store;
  readonly keys: Map<string, KvKeyMetadata>;
  readonly config: KvV2Config;

  constructor(private readonly now: () => number) {
    this.store = new KvV2Store(now);
    this.keys = this.store.keys;
    this.config = this.store.config;
  }

  exists(req: EngineRequest): boolean {
    const { section, key } = splitKvV2Path(req.path);
    if (section === 'config') return true;
    return section !== undefined && this.keys.has(key);
  }

  handle(req: EngineRequest): VaultResult {
    const { section, key } = splitKvV2Path(req.path);
    if (section === undefined) {
      return { status: 404, data: null, warnings: [INVALID_PATH_WARNING], envelope: true };
    }
    const op = req.operation;
    switch (section) {
      case 'empty':
        if (op === 'read') throw VaultHttpError.notFound();
        break;
      case 'config':
        if (op === 'read') return { data: this.describeConfig() };
        if (op === 'create' || op === 'update') return this.writeConfig(req.body);
        break;
      case 'data':
        if (op === 'read') return this.readData(key, req.query);
        if (op === 'create' || op === 'update') return this.writeData(key, req.body);
        if (op === 'patch') return this.patchData(key, req);
        if (op === 'delete') return this.deleteLatest(key);
        break;
      case 'metadata':
        if (op === 'list') return listChildren(this.keys.keys(), key);
        if (key === '') {
          if (op === 'read') throw VaultHttpError.notFound();
          break;
        }
        if (op === 'read') return readKvV2Metadata(this.store, key);
        if (op === 'create' || op === 'update') return this.writeMetadata(key, req.body, false);
        if (op === 'patch') return this.writeMetadata(key, req.body, true);
        if (op === 'delete') {
          this.keys.delete(key);
          return NO_CONTENT;
        }
        break;
      case 'delete':
        if (op === 'create' || op === 'update') return this.markVersions(key, req.body, 'delete');
        break;
      case 'undelete':
        if (op === 'create' || op === 'update') return this.markVersions(key, req.body, 'undelete');
        break;
      case 'destroy':
        if (op === 'create' || op === 'update') return this.markVersions(key, req.body, 'destroy');
        break;
      case 'subkeys':
        if (op === 'read') return this.readSubkeys(key, req.query);
        break;
    }
    throw VaultHttpError.unsupportedOperation();
  }

  // ---- data -------------------------------------------------------------------------------

  private readData(key: string, query: URLSearchParams): VaultResult {
    const { meta, version, entry } = this.store.resolveVersion(key, query);
    const metadata = this.store.versionMetadata(meta, version, entry);
    if (this.store.isDeleted(entry, meta) || entry.destroyed) {
      return { status: 404, data: { data: null, metadata }, envelope: true };
    }
    return { data: { data: deepClone(entry.data), metadata } };
  }

  writeData(key: string, body: SafeRecord): VaultResult {
    const data = body.data;
    if (data === undefined || data === null) throw VaultHttpError.badRequest('no data provided');
    if (!isPlainObject(data)) throw notAMap('data', data);
    const meta = this.keys.get(key);
    this.store.checkCas(meta, body.options);
    return { data: this.store.addVersion(key, data) };
  }

  /** Stores a new version (used by writes and by seeds); returns its metadata. */
  addVersion(key: string, data: SafeRecord): Record<string, unknown> {
    return this.store.addVersion(key, data);
  }

  writeMetadata(key: string, body: SafeRecord, patch: boolean): VaultResult {
    return writeKvV2Metadata(this.store, key, body, patch);
  }

  private patchData(key: string, req: EngineRequest): VaultResult {
    const contentType =
      String(req.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim() ?? '';
    if (contentType !== 'application/merge-patch+json') {
      throw new VaultHttpError(415, [
        `PATCH requires Content-Type of application/merge-patch+json, provided ${contentType}`,
      ]);
    }
    const patch = req.body.data;
    if (patch === undefined || patch === null) throw VaultHttpError.badRequest('no data provided');
    if (!isPlainObject(patch)) throw notAMap('data', patch);
    const meta = this.keys.get(key);
    if (!meta) return { status: 404 };
    const current = meta.versions.get(meta.currentVersion);
    if (!current) return { status: 404 };
    if (this.store.isDeleted(current, meta) || current.destroyed) {
      return {
        status: 404,
        data: this.store.versionMetadata(meta, meta.currentVersion, current),
        envelope: true,
      };
    }
    this.store.checkCas(meta, req.body.options);
    const merged = jsonMergePatch(deepClone(current.data), patch) as SafeRecord;
    return { data: this.store.addVersion(key, merged) };
  }

  private deleteLatest(key: string): VaultResult {
    const meta = this.keys.get(key);
    const entry = meta?.versions.get(meta.currentVersion);
    if (meta && entry && !entry.destroyed && !this.store.isDeleted(entry, meta)) {
      entry.deletionTime = this.now();
      meta.updatedTime = this.now();
    }
    return NO_CONTENT;
  }

  private markVersions(key: string, body: SafeRecord, action: 'delete' | 'undelete' | 'destroy') {
    const raw = body.versions;
    const list = Array.isArray(raw)
      ? raw
      : raw === undefined || raw === null || raw === ''
        ? []
        : [raw];
    const versions = list.map(v => Number(v));
    if (versions.length === 0) {
      throw VaultHttpError.badRequest(
        action === 'destroy' ? 'no version number provided' : 'No version number provided',
      );
    }
    if (versions.some(v => !Number.isInteger(v))) {
      throw VaultHttpError.badRequest('error parsing versions: invalid version number');
    }
    const meta = this.keys.get(key);
    if (!meta) return NO_CONTENT;
    const now = this.now();
    for (const v of versions) {
      const entry = meta.versions.get(v);
      if (!entry || entry.destroyed) continue;
      if (action === 'delete' && !this.store.isDeleted(entry, meta)) entry.deletionTime = now;
      if (action === 'undelete') entry.deletionTime = undefined;
      if (action === 'destroy') {
        entry.destroyed = true;
        entry.data = null;
      }
    }
    meta.updatedTime = now;
    return NO_CONTENT;
  }

  // ---- subkeys and config -----------------------------------------------------------------

  private readSubkeys(key: string, query: URLSearchParams): VaultResult {
    const { meta, version, entry } = this.store.resolveVersion(key, query);
    const metadata = this.store.versionMetadata(meta, version, entry);
    if (this.store.isDeleted(entry, meta) || entry.destroyed) {
      return { status: 404, data: { metadata, subkeys: null }, envelope: true };
    }
    const depth = Number(query.get('depth') ?? 0);
    if (!Number.isInteger(depth) || depth < 0) {
      throw VaultHttpError.badRequest('depth must be a non-negative integer');
    }
    return { data: { metadata, subkeys: subkeysOf(entry.data ?? safeRecord(), depth, 1) } };
  }

  private describeConfig(): Record<string, unknown> {
    return {
      cas_required: this.config.casRequired,
      delete_version_after: goDuration(this.config.deleteVersionAfter),
      max_versions: this.config.maxVersions,
    };
  }

  private writeConfig(body: SafeRecord): VaultResult {
    if (body.max_versions !== undefined) {
      const n = Number(body.max_versions);
      if (!Number.isInteger(n) || n < 0) {
        throw VaultHttpError.badRequest('max_versions must be a non-negative integer');
      }
      this.config.maxVersions = n;
    }
    if (body.cas_required !== undefined) this.config.casRequired = kvBool(body.cas_required);
    if (body.delete_version_after !== undefined) {
      this.config.deleteVersionAfter = Math.max(0, parseDurationSeconds(body.delete_version_after));
    }
    return NO_CONTENT;
  }
}

function subkeysOf(value: SafeRecord, maxDepth: number, depth: number): SafeRecord {
  const out = safeRecord();
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      isPlainObject(v) && (maxDepth === 0 || depth < maxDepth)
        ? subkeysOf(v, maxDepth, depth + 1)
        : null;
  }
  return out;
}
