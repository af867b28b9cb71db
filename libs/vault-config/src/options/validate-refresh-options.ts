import { isObject } from '../utils/is-object.js';
import { optionalInt, own, type RawOptions, type Report } from './option-reader.js';
import type { ResolvedRefreshOptions } from './resolved-vault-config-options.interface.js';
import {
  DEFAULT_REFRESH_JITTER,
  DEFAULT_REFRESH_MAX_BACKOFF_MS,
  MAX_TIMER_DELAY_MS,
} from './vault-config-options.defaults.js';

/** Shorter than this, a refresh loop would hammer Vault rather than watch it. */
const MIN_REFRESH_INTERVAL_MS = 50;

/**
 * Periodic re-reading of the sources: `refresh`. Off unless given, and then `intervalMs` is
 * required: how often to ask Vault is the user's decision, not a default's.
 * Undefined when off or unusable (the problem is reported).
 */
export function validateRefreshOptions(
  raw: RawOptions,
  problem: Report,
): ResolvedRefreshOptions | undefined {
  const v = own(raw, 'refresh');
  if (v === undefined) return undefined;
  if (!isObject(v)) {
    problem('refresh', 'must be an object such as { intervalMs: 60000 }');
    return undefined;
  }
  const interval = (key: string) =>
    optionalInt(v, key, MIN_REFRESH_INTERVAL_MS, MAX_TIMER_DELAY_MS, problem, `refresh.${key}`);
  const intervalMs = interval('intervalMs');
  if (own(v, 'intervalMs') === undefined) problem('refresh.intervalMs', 'is required');
  const jitter = own(v, 'jitter') ?? DEFAULT_REFRESH_JITTER;
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
    problem('refresh.jitter', 'must be a number from 0 to 1');
  }
  const useMetadata = own(v, 'useMetadata') ?? false;
  if (typeof useMetadata !== 'boolean') problem('refresh.useMetadata', 'must be a boolean');
  const maxBackoffMs = interval('maxBackoffMs');
  if (intervalMs === undefined) return undefined;
  return {
    intervalMs,
    jitter: typeof jitter === 'number' ? jitter : DEFAULT_REFRESH_JITTER,
    useMetadata: useMetadata === true,
    maxBackoffMs: maxBackoffMs ?? Math.max(intervalMs, DEFAULT_REFRESH_MAX_BACKOFF_MS),
  };
}
