export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_RETRY_ATTEMPTS = 3;
export const DEFAULT_RETRY_MIN_DELAY_MS = 100;
export const DEFAULT_RETRY_MAX_DELAY_MS = 2000;
export const DEFAULT_CONCURRENCY = 16;
/** The most parallel requests (and sockets) chosen when `concurrency` is not set. */
export const MAX_AUTO_CONCURRENCY = 128;
export const DEFAULT_ENV = 'development';
export const DEFAULT_APPROLE_MOUNT = 'approle';
export const DEFAULT_KUBERNETES_MOUNT = 'kubernetes';
export const DEFAULT_JWT_MOUNT = 'jwt';
export const DEFAULT_CERT_MOUNT = 'cert';
export const DEFAULT_USERPASS_MOUNT = 'userpass';
export const DEFAULT_LDAP_MOUNT = 'ldap';
export const DEFAULT_KUBERNETES_JWT_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/token';
/** The value `[VAULT]` in the environment marks a key that must come from Vault: it counts as unset. */
export const VAULT_PLACEHOLDER = '[VAULT]';
export const DEFAULT_REFRESH_JITTER = 0.1;
export const DEFAULT_REFRESH_MAX_BACKOFF_MS = 300_000;
/** Renew a token or lease when this fraction of its TTL has passed. */
export const RENEW_AT_FRACTION = 2 / 3;
/** How long `VaultHealthIndicator` reuses a probe result, unless `healthCacheMs` says otherwise. */
export const DEFAULT_HEALTH_CACHE_MS = 5000;
/** Timeout of one health probe, unless `healthTimeoutMs` says otherwise. */
export const DEFAULT_HEALTH_TIMEOUT_MS = 2000;
/** Without `healthMaxStalenessMs`: down once refreshes have failed for this many intervals. */
export const STALENESS_REFRESH_INTERVALS = 3;
/** The largest delay setTimeout honours (2^31 - 1 ms): a longer interval would fire at once. */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;
/** Upper bound of `timeoutMs` and `healthTimeoutMs`: a request that may hang longer is a bug. */
export const MAX_REQUEST_TIMEOUT_MS = 600_000;
