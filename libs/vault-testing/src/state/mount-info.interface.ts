export interface MountConfig {
  default_lease_ttl: number;
  max_lease_ttl: number;
  force_no_cache: boolean;
}

/** A mount as engines see it on a request: its path, type and tuning, not the engine itself. */
export interface MountInfo {
  /** Always ends in `/`. */
  readonly path: string;
  readonly type: string;
  readonly description: string;
  readonly accessor: string;
  readonly uuid: string;
  options: Record<string, string> | null;
  readonly local: boolean;
  readonly sealWrap: boolean;
  readonly config: MountConfig;
}
