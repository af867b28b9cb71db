/**
 * Injection token of the loaded, immutable `SecretSnapshot`.
 * Every provider that must see Vault values depends on it, directly or through
 * `ConfigService` / `SecretsService`: Nest orders provider creation only by DI edges.
 * @internal
 */
export const VAULT_SECRET_SNAPSHOT = 'VAULT_CONFIG:SECRET_SNAPSHOT';

/** Context of the Nest `Logger` the module hands to the load pipeline. @internal */
export const VAULT_CONFIG_LOGGER_CONTEXT = 'VaultConfig';

/**
 * Injection token of the options given to `VaultConfigModule.forRoot` / `forRootAsync`.
 * @publicApi
 */
export const VAULT_CONFIG_OPTIONS = 'VAULT_CONFIG:MODULE_OPTIONS';
