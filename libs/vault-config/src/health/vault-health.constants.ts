/** How long a probe result is reused, unless `healthCacheMs` says otherwise. */
export const DEFAULT_HEALTH_CACHE_MS = 5000;
/** Timeout of one `sys/health` probe, unless `healthTimeoutMs` says otherwise. */
export const DEFAULT_HEALTH_TIMEOUT_MS = 2000;
/** Without `healthMaxStalenessMs`: down once refreshes have failed for this many intervals. */
export const STALENESS_REFRESH_INTERVALS = 3;
