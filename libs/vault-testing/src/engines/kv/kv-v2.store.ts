import type { SafeRecord } from '../../util/safe-object.js';

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
