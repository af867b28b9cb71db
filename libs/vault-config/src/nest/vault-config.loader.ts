import { Logger } from '@nestjs/common';
import type { ConfigFactory } from '@nestjs/config';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import { loadVaultSecrets } from '../runtime/load-vault-secrets.js';
import { VAULT_CONFIG_LOGGER_CONTEXT } from './vault-config.constants.js';

/**
 * A `ConfigFactory` for teams that keep their own `ConfigModule`:
 * `ConfigModule.forRoot({ load: [vaultConfigLoader(options)] })`.
 *
 * Vault is read when Nest runs the factory (after `ConfigModule` merged `.env` into
 * `process.env`, so `VAULT_ADDR` & co. may come from there). `ConfigService` waits for it, so
 * every provider injecting `ConfigService` sees the values. Same options and errors as
 * `VaultConfigModule`; the values are not copied to `process.env`.
 * @publicApi
 */
export function vaultConfigLoader(options: VaultConfigOptions): ConfigFactory {
  return async () => {
    const snapshot = await loadVaultSecrets(options, {
      logger: new Logger(VAULT_CONFIG_LOGGER_CONTEXT),
    });
    return snapshot.toConfigObject();
  };
}
