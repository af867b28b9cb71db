import { VaultConfigError } from './vault-config.error.js';

/**
 * `createVaultPgPool` / `vaultPgDriver` cannot follow the keys they were given: a key name is
 * missing or empty, or no value is loaded under it. Names the option and the key, never a value.
 */
export class VaultPgPoolError extends VaultConfigError {
  /** `user`, `password`, `drainTimeoutMs` or `secrets`. */
  readonly option: string;

  constructor(option: string, problem: string) {
    super(`createVaultPgPool: ${option} ${problem}`, 'VAULT_PG_POOL');
    this.option = option;
  }
}
