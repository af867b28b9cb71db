import { VaultConfigError } from './vault-config.error.js';

/** Vault answered 403: the token is invalid/expired, or its policies lack a capability on a path. */
export class VaultPermissionError extends VaultConfigError {
  /** The API path(s) denied, e.g. `secret/data/apps/billing`. */
  readonly paths: string[];
  readonly capability: string;
  readonly vaultErrors: string[];

  constructor(details: { paths: string[]; capability: string; vaultErrors?: string[] }) {
    const shown = details.paths.map(p => `"${p}"`).join(' or ');
    super(
      `Permission denied by Vault on ${shown}: the token needs the '${details.capability}' ` +
        `capability there. Grant it in the token's policy, or check that the token is valid and not expired.`,
      'VAULT_PERMISSION_DENIED',
    );
    this.paths = details.paths;
    this.capability = details.capability;
    this.vaultErrors = details.vaultErrors ?? [];
  }
}
