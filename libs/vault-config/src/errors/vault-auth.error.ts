import { VaultConfigError } from './vault-config.error.js';

/** Logging in failed or no credentials were found; never names the credential itself. */
export class VaultAuthError extends VaultConfigError {
  readonly method: string;
  /** What went wrong, in our words (the message without Vault's errors). */
  readonly reason: string;
  readonly status?: number;
  readonly vaultErrors: string[];

  constructor(details: {
    method: string;
    reason: string;
    status?: number;
    vaultErrors?: string[];
  }) {
    const errors = details.vaultErrors?.length ? ` (${details.vaultErrors.join('; ')})` : '';
    super(
      `Vault ${details.method} authentication failed: ${details.reason}${errors}.`,
      'VAULT_AUTH',
    );
    this.method = details.method;
    this.reason = details.reason;
    if (details.status !== undefined) this.status = details.status;
    this.vaultErrors = details.vaultErrors ?? [];
  }
}
