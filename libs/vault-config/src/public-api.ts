export * from './interfaces/vault-config-options.interface.js';
export * from './interfaces/vault-transport.interface.js';
export * from './interfaces/logger-like.interface.js';
export * from './interfaces/secret-description.interface.js';
export * from './interfaces/load-summary.interface.js';
export * from './interfaces/load-context.interface.js';
export * from './interfaces/vault-envelope.interface.js';
export * from './interfaces/secrets-changed-event.interface.js';
export * from './interfaces/vault-runtime-status.interface.js';
export * from './errors/index.js';
export { SecretSnapshot } from './secrets/secret-snapshot.js';
export type { SnapshotEntry } from './secrets/secret-snapshot.js';
export { loadVaultSecrets } from './loading/load-vault-secrets.js';
export { validateVaultConfigOptions } from './options/validate-vault-config-options.js';
export type {
  ResolvedVaultConfigOptions,
  ResolvedAuthOptions,
  ResolvedSecretSource,
  ResolvedTlsOptions,
  ResolvedRetryOptions,
} from './options/resolved-vault-config-options.interface.js';
export { SensitiveValue } from './options/sensitive-value.js';
export {
  VaultClient,
  type VaultClientOptions,
  type VaultClientRequest,
} from './client/vault.client.js';
export {
  HttpVaultTransport,
  type HttpVaultTransportOptions,
} from './client/http-vault.transport.js';
export { nodeVaultTransport } from './client/node-vault.transport.js';
export type { MissingSecret, InvalidSecret } from './errors/missing-secrets.error.js';
export type { OptionProblem } from './errors/vault-config-options.error.js';
