import { VaultHttpError } from '../../http/vault-http.error.js';
import { rfc3339 } from '../../util/duration.js';
import { deepClone, isPlainObject, type SafeRecord } from '../../util/safe-object.js';

export interface KvVersion {
  data: SafeRecord | null;
  readonly createdTime: number;
  deletionTime: number | undefined;
  destroyed: boolean;
}

export interface KvKeyMetadata {
  readonly versions: Map<number, KvVersion>;
  currentVersion: number;
  oldestVersion: number;
  readonly createdTime: number;
  updatedTime: number;
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfter: number;
  customMetadata: Record<string, string> | null;
}

export interface KvV2Config {
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfter: number;
}

export const DEFAULT_MAX_VERSIONS = 10;

/** The keys of one KV v2 mount with their versions: check-and-set, pruning, (soft) deletion. */
export class KvV2Store {
  readonly keys = new Map<string, KvKeyMetadata>();
  readonly config: KvV2Config = { maxVersions: 0, casRequired: false, deleteVersionAfter: 0 };

  constructor(readonly now: () => number) {}

  /** The metadata, version number and version entry a `?version=` read names; 404 when absent. */
  resolveVersion(key: string, query: URLSearchParams) {
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

  checkCas(meta: KvKeyMetadata | undefined, options: unknown): void {
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

  prune(meta: KvKeyMetadata): void {
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

  newMetadata(now: number): KvKeyMetadata {
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

  isDeleted(entry: KvVersion, meta: KvKeyMetadata): boolean {
    const at = this.effectiveDeletionTime(entry, meta);
    return at !== undefined && at <= this.now();
  }

  deletionTimeText(entry: KvVersion, meta: KvKeyMetadata): string {
    const at = this.effectiveDeletionTime(entry, meta);
    return at === undefined ? '' : rfc3339(at);
  }

  versionMetadata(meta: KvKeyMetadata, version: number, entry: KvVersion) {
    return {
      created_time: rfc3339(entry.createdTime),
      custom_metadata: meta.customMetadata ? { ...meta.customMetadata } : null,
      deletion_time: this.deletionTimeText(entry, meta),
      destroyed: entry.destroyed,
      version,
    };
  }

  private effectiveDeletionTime(entry: KvVersion, meta: KvKeyMetadata): number | undefined {
    if (entry.deletionTime !== undefined) return entry.deletionTime;
    const dva =
      meta.deleteVersionAfter > 0 ? meta.deleteVersionAfter : this.config.deleteVersionAfter;
    return dva > 0 ? entry.createdTime + dva * 1000 : undefined;
  }
}
