import { Module } from '@nestjs/common';
import { ConfigurableVaultConfigModule } from './vault-config.module-definition.js';

/**
 * Loads secrets from Vault before bootstrap and provides them as `@nestjs/config`'s
 * `ConfigService` (a DI edge on the loaded snapshot: every provider injecting it — even in its own
 * `useFactory` — sees the values) and as `SecretsService`. Both are exported; `isGlobal: true`
 * makes them global.
 *
 * ```ts
 * VaultConfigModule.forRoot({ isGlobal: true, auth: { method: 'approle', roleId, secretId }, sources })
 * VaultConfigModule.forRootAsync({ isGlobal: true, imports: [ConfigModule.forRoot()], inject: [ConfigService],
 *   useFactory: (env: ConfigService) => ({ address: env.get('VAULT_ADDR'), sources }) })
 * ```
 *
 * With `@nestjs/config`'s own `ConfigModule`: this module's `ConfigService` is its own instance.
 * Do not ALSO import `ConfigModule.forRoot({ isGlobal: true })`: Nest then resolves
 * `ConfigService` from whichever module comes first in `imports` (global ones in registration
 * order), so with ConfigModule listed first every provider silently gets a `ConfigService` without
 * the Vault values. Instead either (A) make this module global and import `ConfigModule.forRoot()`
 * (not global) only inside `forRootAsync({ imports })` — `.env` values stay readable through
 * process.env — or (B) keep your own global `ConfigModule` and add `vaultConfigLoader(options)` to
 * its `load` (no `SecretsService` then). In `main.ts`, `app.get(ConfigService)` returns the service
 * with the Vault values in each of these set-ups (and `app.get(SecretsService)` wherever this module
 * is imported); beside a global `ConfigModule` it returns the one registered last, which is
 * `ConfigModule`'s when that is listed after this module.
 * @publicApi
 */
@Module({})
export class VaultConfigModule extends ConfigurableVaultConfigModule {}
