/**
 * Injection token of the live side of the module: current snapshot, refresh, renewals, status.
 * `ConfigService` and `SecretsService` depend on it, so every provider injecting them waits for
 * Vault (Nest orders provider creation only by DI edges).
 * @internal
 */
export const VAULT_SECRETS_RUNTIME = 'VAULT_CONFIG:SECRETS_RUNTIME';

/** Context of the Nest `Logger` the module hands to the load pipeline. @internal */
export const VAULT_CONFIG_LOGGER_CONTEXT = 'VaultConfig';

/**
 * Injection token of the options given to `VaultConfigModule.forRoot` / `forRootAsync`, as a
 * redacted view: a copy with the same properties that prints no value under `util.inspect`,
 * `JSON.stringify` or `String()`. Override it in tests to replace the options.
 * @publicApi
 */
export const VAULT_CONFIG_OPTIONS = 'VAULT_CONFIG:MODULE_OPTIONS';

/**
 * Injection token of the options exactly as `forRoot` / `forRootAsync` made them; only the
 * redacted view (`VAULT_CONFIG_OPTIONS`) is exported. @internal
 */
export const VAULT_CONFIG_RAW_OPTIONS = 'VAULT_CONFIG:RAW_MODULE_OPTIONS';
