import { VaultConfigError } from '../../errors/vault-config.error.js';

/** The mount is missing or is not a KV v2 engine (check-and-set needs KV v2). */
export class KvMountError extends VaultConfigError {
  readonly mount: string;

  constructor(mount: string, reason: string) {
    super(`Mount "${mount}": ${reason}.`, 'VAULT_CLI_MOUNT');
    this.mount = mount;
  }
}
