import type { ResolvedRetryOptions } from '../options/resolved-vault-config-options.interface.js';

/** Exponential backoff with full jitter: random(0, min(maxDelayMs, minDelayMs * 2^(attempt-1))). */
export function backoffDelay(
  attempt: number,
  retry: Pick<ResolvedRetryOptions, 'minDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.minDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Retry-After (seconds or an HTTP date) in ms, capped at maxDelayMs; undefined when absent/invalid. */
export function retryAfterDelay(
  header: string | undefined,
  maxDelayMs: number,
  now: number = Date.now(),
): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const value = header.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(value)) ms = Number(value) * 1000;
  else {
    const date = Date.parse(value);
    if (Number.isNaN(date)) return undefined;
    ms = date - now;
  }
  return Math.min(Math.max(0, ms), maxDelayMs);
}
