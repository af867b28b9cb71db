import type { ResolvedSecretSource } from '../options/resolved-vault-config-options.interface.js';

/** The lease of a dynamic secret (e.g. database credentials). */
export interface SecretLease {
  id: string;
  durationS: number;
  renewable: boolean;
}

/** What one source gave: its data (never logged) and where it came from. */
export interface SourceReadResult {
  source: ResolvedSecretSource;
  found: boolean;
  kvVersion?: 1 | 2;
  /** KV v2 secret version. */
  version?: number;
  data?: Record<string, unknown>;
  lease?: SecretLease;
}
