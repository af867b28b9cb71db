import { Logger } from '@nestjs/common';
import type { ConfigFactory } from '@nestjs/config';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import { snapshotOf } from '../runtime/load-vault-secrets.js';
import { VAULT_CONFIG_LOGGER_CONTEXT } from './vault-config.constants.js';
import { VaultPrefetch } from './vault-prefetch.js';

/**
 * A `ConfigFactory` for teams that keep their own `ConfigModule`:
 * `ConfigModule.forRoot({ load: [vaultConfigLoader(options)] })`.
 *
 * Vault is read from the moment this is called (so the round trips overlap with Nest's bootstrap);
 * `ConfigService` waits for the factory, so every provider injecting it sees the values. When
 * `ConfigModule` then loads a `.env` that changes a VAULT_* variable, the read is done again with
 * it; fallback values are taken from the environment when Nest runs the factory. Same options and
 * errors as `VaultConfigModule`; the values are not copied to `process.env`.
 * @publicApi
 */
export function vaultConfigLoader(options: VaultConfigOptions): ConfigFactory {
  const prefetch = new VaultPrefetch(options);
  return async () => {
    const context = { logger: new Logger(VAULT_CONFIG_LOGGER_CONTEXT) };
    const load = await prefetch.claim(context.logger, false);
    return snapshotOf(load, context).toConfigObject();
  };
}
