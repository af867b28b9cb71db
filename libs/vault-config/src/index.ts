// The public API of `nestjs-vault-config`. Everything else is internal and may change.
export { VaultConfigModule } from './nest/vault-config.module.js';
export type {
  VaultConfigModuleAsyncOptions,
  VaultConfigModuleOptions,
} from './nest/vault-config.module-definition.js';
export type {
  VaultConfigModuleExtras,
  VaultConfigModuleSettings,
  VaultConfigOptionsFactory,
} from './nest/interfaces/vault-config-module-options.interface.js';
export { VAULT_CONFIG_OPTIONS } from './nest/vault-config.constants.js';
export { SecretsService } from './nest/secrets.service.js';
export type { SecretUsage } from './nest/secret-reads.js';
export { vaultConfigLoader } from './nest/vault-config.loader.js';
export { loadVaultSecrets } from './runtime/load-vault-secrets.js';
export { vaultPolicyFor } from './policy/vault-policy-for.js';
export type { SecretSnapshot } from './snapshot/secret-snapshot.js';
export { nodeVaultTransport } from './client/node-vault.transport.js';

export type * from './interfaces/vault-config-options.interface.js';
export type * from './interfaces/cloud-auth-options.interface.js';
export type * from './interfaces/vault-health-options.interface.js';
export type * from './interfaces/vault-metrics-options.interface.js';
export type * from './interfaces/vault-transport.interface.js';
export type * from './interfaces/logger-like.interface.js';
export type * from './interfaces/secret-description.interface.js';
export type * from './interfaces/load-summary.interface.js';
export type * from './interfaces/load-context.interface.js';
export type * from './interfaces/secrets-changed-event.interface.js';
export type * from './interfaces/secret-key.interface.js';
export type { SecretsOf } from './interfaces/secrets-of.interface.js';

export { VaultConfigError } from './errors/vault-config.error.js';
export {
  VaultConfigOptionsError,
  type OptionProblem,
} from './errors/vault-config-options.error.js';
export { VaultUnavailableError } from './errors/vault-unavailable.error.js';
export { VaultAuthError } from './errors/vault-auth.error.js';
export { VaultPermissionError } from './errors/vault-permission.error.js';
export { VaultSecretNotFoundError } from './errors/vault-secret-not-found.error.js';
export {
  MissingSecretsError,
  type InvalidSecret,
  type MissingSecret,
} from './errors/missing-secrets.error.js';
export { InvalidSecretsError } from './errors/invalid-secrets.error.js';
export { VaultResponseError } from './errors/vault-response.error.js';
export {
  VaultNotConnectedError,
  type VaultNotConnectedReason,
} from './errors/vault-not-connected.error.js';
