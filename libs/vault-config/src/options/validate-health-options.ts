import { optionalInt, type RawOptions, type Report } from './option-reader.js';
import type {
  ResolvedHealthOptions,
  ResolvedRefreshOptions,
} from './resolved-vault-config-options.interface.js';
import {
  DEFAULT_HEALTH_CACHE_MS,
  DEFAULT_HEALTH_TIMEOUT_MS,
  MAX_REQUEST_TIMEOUT_MS,
  MAX_TIMER_DELAY_MS,
  STALENESS_REFRESH_INTERVALS,
} from './vault-config-options.defaults.js';

/**
 * What the health indicator needs: `healthCacheMs`, `healthTimeoutMs`, `healthMaxStalenessMs`.
 * They are checked here with the rest, so a typo fails at start-up rather than at the first probe.
 * Without `healthMaxStalenessMs`, a refreshing app counts as stale after a few missed intervals;
 * one that never refreshes has no staleness check.
 */
export function validateHealthOptions(
  raw: RawOptions,
  refresh: ResolvedRefreshOptions | undefined,
  problem: Report,
): ResolvedHealthOptions {
  const cacheMs =
    optionalInt(raw, 'healthCacheMs', 0, MAX_TIMER_DELAY_MS, problem) ?? DEFAULT_HEALTH_CACHE_MS;
  const timeoutMs =
    optionalInt(raw, 'healthTimeoutMs', 1, MAX_REQUEST_TIMEOUT_MS, problem) ??
    DEFAULT_HEALTH_TIMEOUT_MS;
  const maxStalenessMs =
    optionalInt(raw, 'healthMaxStalenessMs', 1, MAX_TIMER_DELAY_MS, problem) ??
    (refresh ? refresh.intervalMs * STALENESS_REFRESH_INTERVALS : undefined);
  return { cacheMs, timeoutMs, ...(maxStalenessMs !== undefined ? { maxStalenessMs } : {}) };
}
