import type { VaultConfigOptions } from '../../interfaces/vault-config-options.interface.js';
import type { VaultHealthOptions } from '../../interfaces/vault-health-options.interface.js';

/** Options of `VaultConfigModule` itself (not passed to the load pipeline). @publicApi */
export interface VaultConfigModuleExtras {
  /**
   * Register `ConfigService` and `SecretsService` in the global scope.
   * @default false
   */
  isGlobal?: boolean;
}

/** What `forRoot` / `forRootAsync` accept besides `isGlobal`. @publicApi */
export interface VaultConfigModuleSettings extends VaultConfigOptions, VaultHealthOptions {}

/** What `forRootAsync({ useClass | useExisting })` expects of the class. @publicApi */
export interface VaultConfigOptionsFactory {
  createVaultConfigOptions(): VaultConfigModuleSettings | Promise<VaultConfigModuleSettings>;
}
