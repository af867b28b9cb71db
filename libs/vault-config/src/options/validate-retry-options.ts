import { isObject } from '../utils/is-object.js';
import { optionalInt, own, type RawOptions, type Report } from './option-reader.js';
import type { ResolvedRetryOptions } from './resolved-vault-config-options.interface.js';
import {
  DEFAULT_RETRY_ATTEMPTS,
  DEFAULT_RETRY_MAX_DELAY_MS,
  DEFAULT_RETRY_MIN_DELAY_MS,
} from './vault-config-options.defaults.js';

/** Upper bounds of the retry fields, so a typo (60000 attempts) cannot stall a start-up. */
const MAX_ATTEMPTS = 20;
const MAX_MIN_DELAY_MS = 60_000;
const MAX_MAX_DELAY_MS = 300_000;

/**
 * How often a failed Vault request is tried again: `retry`, field by field over the defaults, so
 * `{ attempts: 5 }` keeps the default delays. A maximum below the minimum delay is refused.
 */
export function validateRetryOptions(raw: RawOptions, problem: Report): ResolvedRetryOptions {
  const v = own(raw, 'retry');
  const retry = {
    attempts: DEFAULT_RETRY_ATTEMPTS,
    minDelayMs: DEFAULT_RETRY_MIN_DELAY_MS,
    maxDelayMs: DEFAULT_RETRY_MAX_DELAY_MS,
  };
  if (v === undefined) return retry;
  if (!isObject(v)) {
    problem('retry', 'must be an object');
    return retry;
  }
  retry.attempts =
    optionalInt(v, 'attempts', 1, MAX_ATTEMPTS, problem, 'retry.attempts') ?? retry.attempts;
  retry.minDelayMs =
    optionalInt(v, 'minDelayMs', 0, MAX_MIN_DELAY_MS, problem, 'retry.minDelayMs') ??
    retry.minDelayMs;
  retry.maxDelayMs =
    optionalInt(v, 'maxDelayMs', 0, MAX_MAX_DELAY_MS, problem, 'retry.maxDelayMs') ??
    retry.maxDelayMs;
  if (retry.maxDelayMs < retry.minDelayMs) {
    problem('retry.maxDelayMs', 'must be at least retry.minDelayMs');
  }
  return retry;
}
