import { VaultResponseError } from '../errors/vault-response.error.js';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';

/**
 * Vault's refusal to renew a token or lease past its max TTL (OpenBao: 500 "past the max TTL, cannot
 * renew"): not an outage, the end of what renewal can do.
 */
export function isPastMaxTtl(error: unknown): boolean {
  const errors =
    error instanceof VaultUnavailableError || error instanceof VaultResponseError
      ? error.vaultErrors
      : [];
  return errors.some(e => /max[ _-]?ttl/i.test(e));
}
