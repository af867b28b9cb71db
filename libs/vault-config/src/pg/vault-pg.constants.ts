/** How long a pool on replaced credentials waits for its clients unless told otherwise. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;

/** Re-issue lead = drainTimeoutMs + this: time for the new read and the old lease's revocation. */
export const REISSUE_MARGIN_MS = 2_000;

/** A drain on leased credentials ends this long before the lease does, whatever drainTimeoutMs. */
export const LEASE_END_MARGIN_MS = 1_000;

/** PostgreSQL's SQLSTATE for "password authentication failed". */
export const INVALID_PASSWORD = '28P01';
