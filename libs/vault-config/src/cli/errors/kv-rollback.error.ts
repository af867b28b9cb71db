import { VaultConfigError } from '../../errors/vault-config.error.js';

/**
 * A step failed after a write AND undoing the write failed too: says what Vault holds now and how
 * to restore it by hand.
 */
export class KvRollbackError extends VaultConfigError {
  readonly mount: string;
  readonly path: string;
  readonly writtenVersion: number;
  readonly priorVersion: number;

  constructor(details: {
    mount: string;
    path: string;
    writtenVersion: number;
    priorVersion: number;
    priorExisted: boolean;
    failure: string;
    rollbackFailure: string;
  }) {
    const { mount, path, writtenVersion, priorVersion } = details;
    const restore = details.priorExisted
      ? `restore it with: vault kv rollback -mount=${mount} -version=${priorVersion} ${path}`
      : `remove it with: vault kv delete -mount=${mount} ${path}`;
    super(
      `${details.failure} Rolling back failed as well (${details.rollbackFailure}): ` +
        `${mount}/${path} still holds version ${writtenVersion} written by this command; ${restore}`,
      'VAULT_CLI_ROLLBACK',
    );
    this.mount = mount;
    this.path = path;
    this.writtenVersion = writtenVersion;
    this.priorVersion = priorVersion;
  }
}
