export * from './public-api.js';
export { VAULT_CONFIG_OPTIONS } from './vault-config.constants.js';
export { VaultConfigModule } from './vault-config.module.js';
export type {
  VaultConfigModuleAsyncOptions,
  VaultConfigModuleExtras,
  VaultConfigModuleSettings,
  VaultConfigModuleOptions,
  VaultConfigOptionsFactory,
} from './vault-config.module-definition.js';
export { vaultConfigLoader } from './vault-config.loader.js';
export { SecretsService } from './secrets/secrets.service.js';
