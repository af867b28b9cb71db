import { VaultConfigError } from './vault-config.error.js';

/** A required source's secret does not exist (Vault answered 404). */
export class VaultSecretNotFoundError extends VaultConfigError {
  readonly mount: string;
  readonly path: string;
  /** The API paths that answered 404. */
  readonly lookedAt: string[];

  constructor(details: { mount: string; path: string; lookedAt: string[] }) {
    super(
      `Required secret "${details.mount}/${details.path}" was not found in Vault ` +
        `(looked at ${details.lookedAt.join(', ')}). Create it, fix the source's mount/path ` +
        `(and the {env} value), or mark the source required: false.`,
      'VAULT_SECRET_NOT_FOUND',
    );
    this.mount = details.mount;
    this.path = details.path;
    this.lookedAt = details.lookedAt;
  }
}
