import { VaultConfigError } from '../../errors/vault-config.error.js';

/** A check-and-set write lost against a concurrent change: nothing was written. */
export class KvCasConflictError extends VaultConfigError {
  readonly mount: string;
  readonly path: string;
  readonly expectedVersion: number;

  constructor(details: { mount: string; path: string; expectedVersion: number }) {
    super(
      `${details.mount}/${details.path} changed while this command ran (check-and-set expected ` +
        `version ${details.expectedVersion}); nothing was written. Run the command again to plan ` +
        `against the new version.`,
      'VAULT_CLI_CAS_CONFLICT',
    );
    this.mount = details.mount;
    this.path = details.path;
    this.expectedVersion = details.expectedVersion;
  }
}
