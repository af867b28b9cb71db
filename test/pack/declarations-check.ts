// Compiled by the pack test with skipLibCheck: false against the installed tarball: every public
// type must resolve from the shipped .d.ts alone.
import {
  loadVaultSecrets,
  MissingSecretsError,
  nodeVaultTransport,
  SecretsService,
  VaultAuthError,
  VaultConfigError,
  VaultConfigModule,
  VaultConfigOptionsError,
  vaultConfigLoader,
  VaultPermissionError,
  VaultResponseError,
  VaultSecretNotFoundError,
  VaultUnavailableError,
  VAULT_CONFIG_OPTIONS,
  type SecretSnapshot,
  type SecretsChangedEvent,
  type VaultConfigModuleAsyncOptions,
  type VaultConfigModuleOptions,
  type VaultConfigOptions,
  type VaultTransport,
} from 'nestjs-vault-config';
import { VaultHealthIndicator } from 'nestjs-vault-config/health';

export const modules = [
  VaultConfigModule.forRoot({ sources: [] } satisfies VaultConfigModuleOptions),
  VaultConfigModule.forRootAsync({
    useFactory: () => ({}),
  } satisfies VaultConfigModuleAsyncOptions),
];
export const values = [
  loadVaultSecrets,
  nodeVaultTransport,
  vaultConfigLoader({} satisfies VaultConfigOptions),
  VAULT_CONFIG_OPTIONS,
  VaultHealthIndicator,
];
export const errors = [
  MissingSecretsError,
  VaultAuthError,
  VaultConfigError,
  VaultConfigOptionsError,
  VaultPermissionError,
  VaultResponseError,
  VaultSecretNotFoundError,
  VaultUnavailableError,
];
export type Types = [SecretSnapshot, SecretsChangedEvent, SecretsService, VaultTransport];
