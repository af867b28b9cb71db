import { VaultTransitError, type VaultTransitErrorDetails } from './vault-transit.error.js';

/**
 * The transit key does not exist (Vault answered 400 `encryption key not found` or alike).
 * `encrypt` creates a missing key itself when the token's policy has `create` on
 * `<mount>/encrypt/<key>`; every other operation needs an existing key.
 * @publicApi
 */
export class VaultTransitKeyNotFoundError extends VaultTransitError {
  constructor(details: Omit<VaultTransitErrorDetails, 'kind' | 'reason'>) {
    super(
      {
        ...details,
        kind: 'key-not-found',
        reason:
          `there is no key "${details.key}" on this mount. Create it ` +
          `(vault write -f ${details.mount}/keys/${details.key}) or fix the key name`,
      },
      'VAULT_TRANSIT_KEY_NOT_FOUND',
    );
  }
}
