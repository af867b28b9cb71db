import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';

/**
 * The module that holds what one `VaultConfigModule` registration provides (the runtime,
 * `ConfigService`, `SecretsService`), made for that registration and imported by a host module
 * that `VaultConfigModule` imports after its `VaultConfigOptionsHostModule` and re-exports.
 *
 * Why: `app.get(ConfigService)` (non-strict, as in `main.ts`) returns the instance of the module
 * Nest registered LAST. With these providers in `VaultConfigModule` itself, a `ConfigModule`
 * nested in `forRootAsync({ imports })` was registered after them, and `main.ts` got
 * `@nestjs/config`'s service without the Vault values. A dynamic module's `imports` are
 * registered together, in whichever order their (async) definitions resolve, so a dynamic module
 * imported after the options host would not be enough; a class's own `@Module` imports are
 * registered one by one, depth-first, while Nest scans: the services come after every module the
 * options host imports, whatever those imports are.
 * @internal
 */
export function vaultConfigServicesHost(
  optionsHost: DynamicModule,
  providers: Provider[],
  exports: NonNullable<DynamicModule['exports']>,
): Type {
  class VaultConfigServicesModule {}
  Module({ imports: [optionsHost], providers, exports })(VaultConfigServicesModule);
  class VaultConfigServicesHost {}
  Module({ imports: [VaultConfigServicesModule], exports: [VaultConfigServicesModule] })(
    VaultConfigServicesHost,
  );
  return VaultConfigServicesHost;
}
