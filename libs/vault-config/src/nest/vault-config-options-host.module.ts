import { Module } from '@nestjs/common';

/**
 * Holds the options provider of one `VaultConfigModule` registration, with the imports the
 * caller gave to `forRootAsync`, and the redacted view of the options that it exports as
 * `VAULT_CONFIG_OPTIONS`.
 *
 * Why a module of its own: an options factory declared with `inject: [ConfigService]` must reach
 * the caller's `ConfigModule`, not the module's own `ConfigService` (which waits for the snapshot
 * it is meant to configure). The lookup starts here, in a module that neither provides nor imports
 * ours (`VaultConfigServicesModule` imports this one, not the reverse).
 * @internal
 */
@Module({})
export class VaultConfigOptionsHostModule {}
