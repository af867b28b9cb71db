import { Logger, type DynamicModule, type FactoryProvider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { loadVaultSecrets, type SecretSnapshot, type VaultConfigOptions } from './public-api.js';
import { SecretsService } from './secrets/secrets.service.js';
import { createVaultConfigService } from './secrets/vault-config-service.factory.js';
import { VaultConfigOptionsHostModule } from './vault-config-options-host.module.js';
import {
  VAULT_CONFIG_LOGGER_CONTEXT,
  VAULT_CONFIG_OPTIONS,
  VAULT_SECRET_SNAPSHOT,
} from './vault-config.constants.js';
import type { VaultConfigModuleExtras } from './vault-config.module-definition.js';

/** Reads Vault once, before any provider that depends on the snapshot is created. @internal */
export const secretSnapshotProvider: FactoryProvider<Promise<SecretSnapshot>> = {
  provide: VAULT_SECRET_SNAPSHOT,
  useFactory: (options: VaultConfigOptions) =>
    loadVaultSecrets(options, { logger: new Logger(VAULT_CONFIG_LOGGER_CONTEXT) }),
  inject: [VAULT_CONFIG_OPTIONS],
};

/**
 * `ConfigService` built from the snapshot: the DI edge to `VAULT_SECRET_SNAPSHOT` is what makes
 * every provider injecting `ConfigService` wait for Vault (setting values from a side provider
 * would race with them).
 * @internal
 */
export const vaultConfigServiceProvider: FactoryProvider<ConfigService> = {
  provide: ConfigService,
  useFactory: (snapshot: SecretSnapshot) => createVaultConfigService(snapshot),
  inject: [VAULT_SECRET_SNAPSHOT],
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
    providers: [secretSnapshotProvider, vaultConfigServiceProvider, SecretsService],
    exports: [
      VaultConfigOptionsHostModule,
      VAULT_SECRET_SNAPSHOT,
      vaultConfigServiceProvider.provide,
      SecretsService,
    ],
  };
}
