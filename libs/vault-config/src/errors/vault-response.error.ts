import { VaultConfigError } from './vault-config.error.js';

/** Vault's answer was malformed, truncated, too large, of the wrong shape, or an unexpected status. */
export class VaultResponseError extends VaultConfigError {
  readonly path: string;
  readonly reason: string;
  readonly status?: number;
  readonly vaultErrors: string[];

  constructor(details: { path: string; reason: string; status?: number; vaultErrors?: string[] }) {
    const errors = details.vaultErrors?.length ? ` (${details.vaultErrors.join('; ')})` : '';
    super(
      `Unexpected answer from Vault for ${details.path}: ${details.reason}${errors}. ` +
        `Check that the address points at Vault and that the mount and path are right.`,
      'VAULT_RESPONSE',
    );
    this.path = details.path;
    this.reason = details.reason;
    if (details.status !== undefined) this.status = details.status;
    this.vaultErrors = details.vaultErrors ?? [];
  }
}
