import { Logger, type DynamicModule, type FactoryProvider, type Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { describeError } from '../errors/describe-error.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import { loadMetricsModule } from '../metrics/load-metrics-module.js';
import { loadRuntimeModule } from '../runtime/load-runtime-module.js';
import type { VaultSecretsRuntime } from '../runtime/vault-secrets-runtime.js';
import type { VaultConfigModuleExtras } from './interfaces/vault-config-module-options.interface.js';
import { SecretsService } from './secrets.service.js';
import { createVaultConfigService } from './vault-config-service.factory.js';
import { VaultConfigOptionsHostModule } from './vault-config-options-host.module.js';
import { originalOptionsOf, redactedOptionsView } from './vault-config-options.view.js';
import { vaultConfigServicesHost } from './vault-config-services.module.js';
import {
  VAULT_CONFIG_LOGGER_CONTEXT,
  VAULT_CONFIG_OPTIONS,
  VAULT_CONFIG_RAW_OPTIONS,
  VAULT_SECRETS_RUNTIME,
} from './vault-config.constants.js';
import { VaultPrefetch } from './vault-prefetch.js';

/**
 * Reads Vault once, before any provider that depends on it is created, and keeps the session for
 * refresh and renewals. With static options (`forRoot`) the read is already under way: the factory
 * claims it. Its `onApplicationShutdown` stops every timer (and revokes, when asked).
 */
function secretsRuntimeProvider(
  prefetch: { options: VaultConfigOptions; read: VaultPrefetch } | undefined,
): FactoryProvider<Promise<VaultSecretsRuntime>> {
  return {
    provide: VAULT_SECRETS_RUNTIME,
    useFactory: async (injected: VaultConfigOptions) => {
      const options = originalOptionsOf(injected);
      const logger = new Logger(VAULT_CONFIG_LOGGER_CONTEXT);
      const runtime = await loadRuntimeModule();
      let started: VaultSecretsRuntime;
      // A test may override VAULT_CONFIG_OPTIONS: only the options the read was started with use it.
      if (prefetch && options === prefetch.options) {
        const load = await prefetch.read.claim<Record<string, unknown>>(logger, true);
        started = runtime.VaultSecretsRuntime.adopt(load, logger);
      } else {
        prefetch?.read.drop(); // built from other options: the prefetch's token is revoked
        started = await runtime.VaultSecretsRuntime.start(options, { logger });
      }
      startMetrics(started, logger);
      return started;
    },
    inject: [VAULT_CONFIG_OPTIONS],
  };
}

/** In the background, after the first load: boot never waits for (or imports) OpenTelemetry. */
function startMetrics(runtime: VaultSecretsRuntime, logger: Logger): void {
  if (runtime.options.metrics === false) return;
  loadMetricsModule()
    .then(metrics => metrics.startVaultMetrics(runtime))
    .catch((error: unknown) => {
      logger.warn(`OpenTelemetry metrics are off: ${describeError(error, 240)}`);
    });
}

/**
 * `ConfigService` built from the runtime's snapshot and kept in step with refreshes: the DI edge
 * to `VAULT_SECRETS_RUNTIME` is what makes every provider injecting `ConfigService` wait for Vault
 * (setting values from a side provider would race with them).
 */
const vaultConfigServiceProvider: FactoryProvider<ConfigService> = {
  provide: ConfigService,
  useFactory: (runtime: VaultSecretsRuntime) => createVaultConfigService(runtime),
  inject: [VAULT_SECRETS_RUNTIME],
};

/** What `VAULT_CONFIG_OPTIONS` hands out: the options, printing no value (they hold credentials). */
const redactedOptionsProvider: FactoryProvider<VaultConfigOptions> = {
  provide: VAULT_CONFIG_OPTIONS,
  useFactory: redactedOptionsView,
  inject: [VAULT_CONFIG_RAW_OPTIONS],
};

/** The options of `forRoot` (a value provider); `forRootAsync` makes them in a factory. */
function staticOptionsOf(providers: Provider[]): VaultConfigOptions | undefined {
  for (const provider of providers) {
    if (typeof provider === 'object' && provider.provide === VAULT_CONFIG_RAW_OPTIONS) {
      return 'useValue' in provider ? (provider.useValue as VaultConfigOptions) : undefined;
    }
  }
  return undefined;
}

/**
 * Shapes what `ConfigurableModuleBuilder` produced: its options provider (and the caller's
 * `imports`) move into a `VaultConfigOptionsHostModule`, the runtime, `ConfigService` and
 * `SecretsService` into a module of their own registered after it (see both for why).
 * With static options the Vault read starts here, when `forRoot` is called.
 * @internal
 */
export function withVaultConfigProviders(
  definition: DynamicModule,
  extras: VaultConfigModuleExtras,
): DynamicModule {
  const providers = definition.providers ?? [];
  const options = staticOptionsOf(providers);
  if (!options) {
    // forRootAsync: the options need DI, but the code that reads Vault can load meanwhile.
    loadRuntimeModule().catch(() => undefined);
  }
  const optionsHost: DynamicModule = {
    module: VaultConfigOptionsHostModule,
    imports: definition.imports ?? [],
    providers: [...providers, redactedOptionsProvider],
    exports: [VAULT_CONFIG_OPTIONS],
  };
  const servicesHost = vaultConfigServicesHost(
    optionsHost,
    [
      secretsRuntimeProvider(options ? { options, read: new VaultPrefetch(options) } : undefined),
      vaultConfigServiceProvider,
      SecretsService,
    ],
    [VAULT_SECRETS_RUNTIME, vaultConfigServiceProvider.provide, SecretsService],
  );
  return {
    module: definition.module,
    global: extras.isGlobal,
    // Order matters: the services are registered after what the options host imports.
    imports: [optionsHost, servicesHost],
    exports: [VaultConfigOptionsHostModule, servicesHost],
  };
}
