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
import {
  TransitService,
  VaultNotConnectedError,
  VaultTransitError,
  VaultTransitItemError,
  VaultTransitKeyNotFoundError,
  type TransitBatchResult,
  type TransitCiphertextItem,
  type TransitPlaintextItem,
  type TransitSignOptions,
  type VaultTransitErrorKind,
} from 'nestjs-vault-config/transit';

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
  TransitService,
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
  VaultNotConnectedError,
  VaultTransitError,
  VaultTransitItemError,
  VaultTransitKeyNotFoundError,
];
export type Types = [SecretSnapshot, SecretsChangedEvent, SecretsService, VaultTransport];
export type TransitTypes = [
  TransitBatchResult<string>,
  TransitCiphertextItem,
  TransitPlaintextItem,
  TransitSignOptions,
  VaultTransitErrorKind,
];
// The batch result narrows on `ok`, as the README shows.
export function firstValue(results: TransitBatchResult<Buffer>[]): Buffer | undefined {
  const [first] = results;
  return first?.ok ? first.value : undefined;
}
