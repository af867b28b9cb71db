import { ConfigurableModuleBuilder } from '@nestjs/common';
import type {
  VaultConfigModuleExtras,
  VaultConfigModuleSettings,
} from './interfaces/vault-config-module-options.interface.js';
import { VAULT_CONFIG_RAW_OPTIONS } from './vault-config.constants.js';
import { withVaultConfigProviders } from './vault-config.providers.js';

export const {
  ConfigurableModuleClass: ConfigurableVaultConfigModule,
  OPTIONS_TYPE: VAULT_CONFIG_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: VAULT_CONFIG_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<VaultConfigModuleSettings>({
  optionsInjectionToken: VAULT_CONFIG_RAW_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createVaultConfigOptions')
  .setExtras<VaultConfigModuleExtras>({ isGlobal: false }, withVaultConfigProviders)
  .build();

/** Argument of `VaultConfigModule.forRoot`. @publicApi */
export type VaultConfigModuleOptions = typeof VAULT_CONFIG_OPTIONS_TYPE;
/** Argument of `VaultConfigModule.forRootAsync`. @publicApi */
export type VaultConfigModuleAsyncOptions = typeof VAULT_CONFIG_ASYNC_OPTIONS_TYPE;
