/** The latest state of a KV v2 path. */
export interface Kv2Secret {
  /** False when the path was never written or its latest version is deleted or destroyed. */
  readonly exists: boolean;
  /** The current version (0 when never written): the check-and-set value for the next write. */
  readonly version: number;
  /** The latest version's data; empty when it does not exist. */
  readonly data: ReadonlyMap<string, unknown>;
  /** The current version's `created_time` (RFC 3339), when Vault gave one. */
  readonly createdTime?: string;
}
