import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { VaultConfigOptions } from './public-api.js';
import { VAULT_CONFIG_OPTIONS } from './vault-config.constants.js';
import { withVaultConfigProviders } from './vault-config.providers.js';

/** Options of `VaultConfigModule` itself (not passed to the load pipeline). @publicApi */
export interface VaultConfigModuleExtras {
  /**
   * Register `ConfigService` and `SecretsService` in the global scope.
   * @default false
   */
  isGlobal?: boolean;
}

/** What `forRoot` / `forRootAsync` accept besides `isGlobal`. @publicApi */
export interface VaultConfigModuleSettings extends VaultConfigOptions {
  /**
   * How long `VaultHealthIndicator` reuses one `sys/health` answer.
   * @default 5000
   */
  healthCacheMs?: number;
  /**
   * Timeout of one `sys/health` probe of `VaultHealthIndicator`.
   * @default 2000
   */
  healthTimeoutMs?: number;
  /**
   * `VaultHealthIndicator` reports `down` once refreshes have been failing and the last good one is
   * older than this. Default: 3 × `refresh.intervalMs` (no staleness check without `refresh`).
   */
  healthMaxStalenessMs?: number;
}

/** What `forRootAsync({ useClass | useExisting })` expects of the class. @publicApi */
export interface VaultConfigOptionsFactory {
  createVaultConfigOptions(): VaultConfigModuleSettings | Promise<VaultConfigModuleSettings>;
}

export const {
  ConfigurableModuleClass: ConfigurableVaultConfigModule,
  OPTIONS_TYPE: VAULT_CONFIG_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: VAULT_CONFIG_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<VaultConfigModuleSettings>({
  optionsInjectionToken: VAULT_CONFIG_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createVaultConfigOptions')
  .setExtras<VaultConfigModuleExtras>({ isGlobal: false }, withVaultConfigProviders)
  .build();

/** Argument of `VaultConfigModule.forRoot`. @publicApi */
export type VaultConfigModuleOptions = typeof VAULT_CONFIG_OPTIONS_TYPE;
/** Argument of `VaultConfigModule.forRootAsync`. @publicApi */
export type VaultConfigModuleAsyncOptions = typeof VAULT_CONFIG_ASYNC_OPTIONS_TYPE;
