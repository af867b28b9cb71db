import { VaultHttpError } from '../../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../../http/vault-result.interface.js';
import { goDuration, parseDurationSeconds, rfc3339 } from '../../util/duration.js';
import { deepClone, isPlainObject, safeRecord, type SafeRecord } from '../../util/safe-object.js';
import type { EngineRequest, SecretEngine } from '../secret-engine.interface.js';
import { listChildren } from './kv-list.js';
import {
  DEFAULT_MAX_VERSIONS,
  type KvKeyMetadata,
  type KvV2Config,
  type KvVersion,
} from './kv-v2.store.js';
import { jsonMergePatch } from './json-merge-patch.js';

const INVALID_PATH_WARNING =
  "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.";

type Section =
  'empty' | 'data' | 'metadata' | 'delete' | 'undelete' | 'destroy' | 'subkeys' | 'config';
const SECTIONS = new Set<string>(['data', 'metadata', 'delete', 'undelete', 'destroy', 'subkeys']);

/** KV version 2 (`hashicorp/vault-plugin-secrets-kv`), versioned, in memory. */
export class KvV2Engine implements SecretEngine {
  readonly keys = new Map<string, KvKeyMetadata>();
  readonly config: KvV2Config = { maxVersions: 0, casRequired: false, deleteVersionAfter: 0 };

  constructor(private readonly now: () => number) {}

  exists(req: EngineRequest): boolean {
    const { section, key } = split(req.path);
    if (section === 'config') return true;
    return section !== undefined && this.keys.has(key);
  }

  handle(req: EngineRequest): VaultResult {
    const { section, key } = split(req.path);
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
        if (op === 'read') return this.readMetadata(key);
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
    const { meta, version, entry } = this.resolveVersion(key, query);
    const metadata = this.versionMetadata(meta, version, entry);
    if (this.isDeleted(entry, meta) || entry.destroyed) {
      return { status: 404, data: { data: null, metadata }, envelope: true };
    }
    return { data: { data: deepClone(entry.data), metadata } };
  }

  /** The metadata, version number and version entry a `?version=` read names; 404 when absent. */
  private resolveVersion(key: string, query: URLSearchParams) {
    const meta = this.keys.get(key);
    if (!meta) throw VaultHttpError.notFound();
    const raw = query.get('version');
    let version = meta.currentVersion;
    if (raw !== null && raw !== '') {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0) throw VaultHttpError.badRequest('invalid version');
      if (n > 0) version = n;
    }
    const entry = meta.versions.get(version);
    if (!entry) throw VaultHttpError.notFound();
    return { meta, version, entry };
  }

  writeData(key: string, body: SafeRecord): VaultResult {
    const data = body.data;
    if (data === undefined || data === null) throw VaultHttpError.badRequest('no data provided');
    if (!isPlainObject(data)) throw notAMap('data', data);
    const meta = this.keys.get(key);
    this.checkCas(meta, body.options);
    return { data: this.addVersion(key, data) };
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
    if (this.isDeleted(current, meta) || current.destroyed) {
      return {
        status: 404,
        data: this.versionMetadata(meta, meta.currentVersion, current),
        envelope: true,
      };
    }
    this.checkCas(meta, req.body.options);
    const merged = jsonMergePatch(deepClone(current.data), patch) as SafeRecord;
    return { data: this.addVersion(key, merged) };
  }

  private checkCas(meta: KvKeyMetadata | undefined, options: unknown): void {
    const rawCas = isPlainObject(options) ? options.cas : undefined;
    const casRequired = this.config.casRequired || (meta?.casRequired ?? false);
    if (rawCas === undefined || rawCas === null) {
      if (casRequired) {
        throw VaultHttpError.badRequest('check-and-set parameter required for this call');
      }
      return;
    }
    const cas = Number(rawCas);
    if (!Number.isInteger(cas)) throw VaultHttpError.badRequest('invalid cas parameter');
    if (cas !== (meta?.currentVersion ?? 0)) {
      throw VaultHttpError.badRequest('check-and-set parameter did not match the current version');
    }
  }

  /** Stores a new version (used by writes and by seeds); returns its metadata. */
  addVersion(key: string, data: SafeRecord): Record<string, unknown> {
    const now = this.now();
    let meta = this.keys.get(key);
    if (!meta) {
      meta = this.newMetadata(now);
      this.keys.set(key, meta);
    }
    const version = meta.currentVersion + 1;
    const entry: KvVersion = {
      data: deepClone(data),
      createdTime: now,
      deletionTime: undefined,
      destroyed: false,
    };
    meta.versions.set(version, entry);
    meta.currentVersion = version;
    meta.updatedTime = now;
    this.prune(meta);
    return this.versionMetadata(meta, version, entry);
  }

  private prune(meta: KvKeyMetadata): void {
    const max =
      meta.maxVersions > 0
        ? meta.maxVersions
        : this.config.maxVersions > 0
          ? this.config.maxVersions
          : DEFAULT_MAX_VERSIONS;
    const versions = [...meta.versions.keys()].sort((a, b) => a - b);
    let pruned = false;
    while (versions.length > max) {
      meta.versions.delete(versions.shift() as number);
      pruned = true;
    }
    if (pruned) meta.oldestVersion = versions[0] ?? 0;
  }

  private deleteLatest(key: string): VaultResult {
    const meta = this.keys.get(key);
    const entry = meta?.versions.get(meta.currentVersion);
    if (meta && entry && !entry.destroyed && !this.isDeleted(entry, meta)) {
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
      if (action === 'delete' && !this.isDeleted(entry, meta)) entry.deletionTime = now;
      if (action === 'undelete') entry.deletionTime = undefined;
      if (action === 'destroy') {
        entry.destroyed = true;
        entry.data = null;
      }
    }
    meta.updatedTime = now;
    return NO_CONTENT;
  }

  // ---- metadata ---------------------------------------------------------------------------

  private readMetadata(key: string): VaultResult {
    const meta = this.keys.get(key);
    if (!meta) throw VaultHttpError.notFound();
    const versions = safeRecord();
    for (const [n, entry] of [...meta.versions.entries()].sort((a, b) => a[0] - b[0])) {
      versions[String(n)] = {
        created_time: rfc3339(entry.createdTime),
        deletion_time: this.deletionTimeText(entry, meta),
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

  writeMetadata(key: string, body: SafeRecord, patch: boolean): VaultResult {
    const now = this.now();
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
    let meta = this.keys.get(key);
    if (!meta) {
      if (patch) return { status: 404 };
      meta = this.newMetadata(now);
      this.keys.set(key, meta);
    }
    if (maxVersions !== undefined) meta.maxVersions = Number(maxVersions);
    if (body.cas_required !== undefined) meta.casRequired = toBool(body.cas_required);
    if (dva !== undefined) meta.deleteVersionAfter = Math.max(0, dva);
    if (custom !== undefined) {
      if (patch && isPlainObject(custom)) {
        const merged = safeRecord() as Record<string, string>;
        Object.assign(merged, meta.customMetadata ?? {});
        for (const [k, v] of Object.entries(custom)) {
          if (v === null) delete merged[k];
          else merged[k] = String(v);
        }
        meta.customMetadata = merged;
      } else {
        meta.customMetadata = customMetadata ?? null;
      }
    }
    meta.updatedTime = now;
    this.prune(meta);
    return NO_CONTENT;
  }

  // ---- subkeys and config -----------------------------------------------------------------

  private readSubkeys(key: string, query: URLSearchParams): VaultResult {
    const { meta, version, entry } = this.resolveVersion(key, query);
    const metadata = this.versionMetadata(meta, version, entry);
    if (this.isDeleted(entry, meta) || entry.destroyed) {
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
    if (body.cas_required !== undefined) this.config.casRequired = toBool(body.cas_required);
    if (body.delete_version_after !== undefined) {
      this.config.deleteVersionAfter = Math.max(0, parseDurationSeconds(body.delete_version_after));
    }
    return NO_CONTENT;
  }

  // ---- helpers ----------------------------------------------------------------------------

  private newMetadata(now: number): KvKeyMetadata {
    return {
      versions: new Map(),
      currentVersion: 0,
      oldestVersion: 0,
      createdTime: now,
      updatedTime: now,
      maxVersions: 0,
      casRequired: false,
      deleteVersionAfter: 0,
      customMetadata: null,
    };
  }

  private effectiveDeletionTime(entry: KvVersion, meta: KvKeyMetadata): number | undefined {
    if (entry.deletionTime !== undefined) return entry.deletionTime;
    const dva =
      meta.deleteVersionAfter > 0 ? meta.deleteVersionAfter : this.config.deleteVersionAfter;
    return dva > 0 ? entry.createdTime + dva * 1000 : undefined;
  }

  private isDeleted(entry: KvVersion, meta: KvKeyMetadata): boolean {
    const at = this.effectiveDeletionTime(entry, meta);
    return at !== undefined && at <= this.now();
  }

  private deletionTimeText(entry: KvVersion, meta: KvKeyMetadata): string {
    const at = this.effectiveDeletionTime(entry, meta);
    return at === undefined ? '' : rfc3339(at);
  }

  private versionMetadata(meta: KvKeyMetadata, version: number, entry: KvVersion) {
    return {
      created_time: rfc3339(entry.createdTime),
      custom_metadata: meta.customMetadata ? { ...meta.customMetadata } : null,
      deletion_time: this.deletionTimeText(entry, meta),
      destroyed: entry.destroyed,
      version,
    };
  }
}

function split(path: string): { section: Section | undefined; key: string } {
  if (path === 'config') return { section: 'config', key: '' };
  const slash = path.indexOf('/');
  const head = slash === -1 ? path : path.slice(0, slash);
  if (!SECTIONS.has(head)) return { section: undefined, key: '' };
  const key = slash === -1 ? '' : path.slice(slash + 1);
  if (key === '' && head !== 'metadata') return { section: 'empty', key: '' };
  return { section: head as Section, key };
}

function notAMap(field: string, value: unknown): VaultHttpError {
  const type = Array.isArray(value)
    ? 'slice'
    : typeof value === 'number'
      ? 'float64'
      : typeof value;
  return VaultHttpError.badRequest(
    `error converting input for field "${field}": '' expected type 'map[string]interface {}', got unconvertible type '${type}'`,
  );
}

function toBool(value: unknown): boolean {
  return value === true || value === 'true' || value === 1 || value === '1';
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
