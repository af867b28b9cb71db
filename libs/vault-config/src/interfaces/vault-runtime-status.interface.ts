import type { LoadMode } from '../interfaces/load-summary.interface.js';

/** A failure as health and logs show it: the error class and a short safe reason, never a value. */
export interface VaultErrorSummary {
  /** Error class name, e.g. `VaultUnavailableError`. */
  error: string;
  reason: string;
  /** What failed: `refresh`, `token renewal`, `login`, `lease renewal`. */
  during: string;
  /** ISO time of the first failure of the current streak. */
  since: string;
  /** Failed attempts in a row. */
  attempts: number;
}

/** What `VaultConfigModule` knows about its Vault session right now (no values, no token). */
export interface VaultRuntimeStatus {
  mode: LoadMode;
  /** Remaining token TTL in seconds; 0 = never expires (Vault's convention); undefined = unknown. */
  tokenTtlS?: number;
  /** Milliseconds since the last successful load or refresh. */
  lastRefreshAgeMs: number;
  /** Set while the latest refresh, token renewal or lease renewal is failing. */
  lastError?: VaultErrorSummary;
  /**
   * Set while renewing or replacing credentials is failing: the token (renewal or login), a lease,
   * a certificate or a static role's password — they are still in use and may run out.
   */
  credentialsError?: VaultErrorSummary;
  /**
   * True when nothing will renew or replace the token any more (a fixed token, or one at its max
   * TTL) and a third of its TTL or less is left.
   */
  tokenExpiring?: boolean;
  refreshIntervalMs?: number;
}
