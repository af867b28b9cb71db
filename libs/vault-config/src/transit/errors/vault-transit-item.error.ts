import { VaultTransitError, type VaultTransitErrorDetails } from './vault-transit.error.js';

/**
 * One item of `encryptMany` / `decryptMany` / `rewrapMany` that Vault refused; the other items'
 * results are unaffected. `index` is the item's position in the input.
 * @publicApi
 */
export class VaultTransitItemError extends VaultTransitError {
  readonly index: number;

  constructor(details: VaultTransitErrorDetails & { index: number }) {
    super({ ...details, reason: `item ${details.index}: ${details.reason}` }, 'VAULT_TRANSIT_ITEM');
    this.index = details.index;
  }
}
