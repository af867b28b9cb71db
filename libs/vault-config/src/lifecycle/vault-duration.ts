import { VaultResponseError } from '../errors/vault-response.error.js';

/**
 * The longest duration Vault can mean: its TTLs are Go `time.Duration`s, which stop at 2^63 ns
 * (≈ 292 years). A longer one (`1e308`, or `1e999`, which JSON parses as Infinity) is no TTL.
 */
export const MAX_VAULT_DURATION_S = Math.floor(2 ** 63 / 1e9);

/**
 * A TTL or lease duration from a Vault answer, in seconds. Anything but a finite number from 0 to
 * `MAX_VAULT_DURATION_S` is a broken answer: a VaultResponseError naming the field (never its
 * value, which came from the server), so it is handled like any malformed answer. A fraction is
 * accepted: the renewal floor and budget keep it from turning into a storm.
 */
export function vaultDurationS(value: unknown, path: string, field: string): number {
  if (typeof value === 'number' && value >= 0 && value <= MAX_VAULT_DURATION_S) return value;
  throw new VaultResponseError({
    path,
    reason:
      `"${field}" is not a duration (a number of seconds from 0 to ${MAX_VAULT_DURATION_S}); ` +
      'the renewal schedule cannot rely on it',
  });
}
