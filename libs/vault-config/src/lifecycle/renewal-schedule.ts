import { backoffDelay } from '../client/backoff.js';
import { RENEW_AT_FRACTION } from '../options/vault-config-options.defaults.js';

const RENEW_JITTER = 0.1;
const RETRY_MIN_DELAY_MS = 500;
const RETRY_MAX_DELAY_MS = 30_000;

/**
 * No renewal, re-issue or re-read comes sooner than this after the last, whatever Vault answered
 * (`lease_duration: 0.001` would otherwise renew in a loop). Vault's shortest TTL, 1 s, is renewed
 * at ≈ 600–667 ms: the floor never delays a real answer.
 */
export const MIN_RENEW_DELAY_MS = 500;

/**
 * When to act on a token or lease of `ttlS` seconds: at about 2/3 of it, up to 10 % earlier at
 * random so many instances do not renew in step; never sooner than `MIN_RENEW_DELAY_MS`.
 */
export function renewDelayMs(ttlS: number, random: () => number = Math.random): number {
  const at = ttlS * 1000 * RENEW_AT_FRACTION;
  return Math.max(MIN_RENEW_DELAY_MS, at * (1 - RENEW_JITTER * random()));
}

/** The wait before retrying a failed renewal or login: backoff with jitter, at least 250 ms. */
export function retryDelayMs(failures: number, random: () => number = Math.random): number {
  const delay = backoffDelay(
    failures,
    { minDelayMs: RETRY_MIN_DELAY_MS, maxDelayMs: RETRY_MAX_DELAY_MS },
    random,
  );
  return Math.max(250, delay);
}
