import { Module } from '@nestjs/common';

/**
 * Holds the options provider of one `VaultConfigModule` registration, with the imports the
 * caller gave to `forRootAsync`.
 *
 * Why a module of its own: `VaultConfigModule` provides `ConfigService`, so an options factory
 * declared with `inject: [ConfigService]` would resolve to that very provider (a module's own
 * providers win over its imports) and wait for the snapshot it is meant to configure. Here the
 * lookup starts in a module without `ConfigService` and reaches the caller's `ConfigModule`.
 * @internal
 */
@Module({})
export class VaultConfigOptionsHostModule {}
