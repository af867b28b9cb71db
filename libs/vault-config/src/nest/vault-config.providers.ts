import { Logger, type DynamicModule, type FactoryProvider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import type { VaultConfigModuleExtras } from './interfaces/vault-config-module-options.interface.js';
import { VaultSecretsRuntime } from '../runtime/vault-secrets-runtime.js';
import { SecretsService } from './secrets.service.js';
import { createVaultConfigService } from './vault-config-service.factory.js';
import { VaultConfigOptionsHostModule } from './vault-config-options-host.module.js';
import {
  VAULT_CONFIG_LOGGER_CONTEXT,
  VAULT_CONFIG_OPTIONS,
  VAULT_SECRETS_RUNTIME,
} from './vault-config.constants.js';

/**
 * Reads Vault once, before any provider that depends on it is created, and keeps the session for
 * refresh and renewals. Its `onApplicationShutdown` stops every timer (and revokes, when asked).
 * @internal
 */
export const secretsRuntimeProvider: FactoryProvider<Promise<VaultSecretsRuntime>> = {
  provide: VAULT_SECRETS_RUNTIME,
  useFactory: (options: VaultConfigOptions) =>
    VaultSecretsRuntime.start(options, { logger: new Logger(VAULT_CONFIG_LOGGER_CONTEXT) }),
  inject: [VAULT_CONFIG_OPTIONS],
};

/**
 * `ConfigService` built from the runtime's snapshot and kept in step with refreshes: the DI edge
 * to `VAULT_SECRETS_RUNTIME` is what makes every provider injecting `ConfigService` wait for Vault
 * (setting values from a side provider would race with them).
 * @internal
 */
export const vaultConfigServiceProvider: FactoryProvider<ConfigService> = {
  provide: ConfigService,
  useFactory: (runtime: VaultSecretsRuntime) => createVaultConfigService(runtime),
  inject: [VAULT_SECRETS_RUNTIME],
};

/**
 * Shapes what `ConfigurableModuleBuilder` produced: its options provider (and the caller's
 * `imports`) move into a `VaultConfigOptionsHostModule`, see there why.
 * @internal
 */
export function withVaultConfigProviders(
  definition: DynamicModule,
  extras: VaultConfigModuleExtras,
): DynamicModule {
  const optionsHost: DynamicModule = {
    module: VaultConfigOptionsHostModule,
    imports: definition.imports ?? [],
    providers: definition.providers ?? [],
    exports: [VAULT_CONFIG_OPTIONS],
  };
  return {
    module: definition.module,
    global: extras.isGlobal,
    imports: [optionsHost],
    providers: [secretsRuntimeProvider, vaultConfigServiceProvider, SecretsService],
    exports: [
      VaultConfigOptionsHostModule,
      VAULT_SECRETS_RUNTIME,
      vaultConfigServiceProvider.provide,
      SecretsService,
    ],
  };
}
