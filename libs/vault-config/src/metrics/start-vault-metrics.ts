import type { Meter } from '@opentelemetry/api';
import type { VaultMeterProviderLike } from '../interfaces/vault-metrics-options.interface.js';
import { credentialPoolsOf } from '../runtime/credential-pools.js';
import type { VaultSecretsRuntime } from '../runtime/vault-secrets-runtime.js';
import { METER_NAME, METER_VERSION } from './vault-metric-names.js';
import { VaultMetrics } from './vault-metrics.js';

/** How the OpenTelemetry API is loaded: a test hands in its own. */
export type ImportOpenTelemetryApi = () => Promise<{ metrics: VaultMeterProviderLike }>;

const importApi: ImportOpenTelemetryApi = () => import('@opentelemetry/api');

const isModuleNotFound = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND';

/**
 * Connects a runtime to OpenTelemetry, in the background once the first load is done: the
 * `metrics.meterProvider` option, or the API's global provider (a no-op until an SDK registers
 * one). Without `@opentelemetry/api` installed, the runtime's held events are dropped and nothing
 * is recorded, silently. `metrics: false`: the API is never imported. Rejects only on a broken
 * provider (the caller logs it).
 */
export async function startVaultMetrics(
  runtime: VaultSecretsRuntime,
  load: ImportOpenTelemetryApi = importApi,
): Promise<void> {
  const settings = runtime.options.metrics;
  if (settings === false || runtime.telemetry.closed) return;
  let provider = settings.meterProvider;
  if (!provider) {
    try {
      provider = (await load()).metrics;
    } catch (error) {
      runtime.telemetry.close();
      if (isModuleNotFound(error)) return;
      throw error;
    }
  }
  try {
    const meter = provider.getMeter(METER_NAME, METER_VERSION) as Meter;
    const method = runtime.options.authMethod;
    const read = () => ({
      ...runtime.telemetryReading(),
      pools: credentialPoolsOf(runtime).list(),
    });
    runtime.telemetry.connect(new VaultMetrics(meter, read, method));
  } catch (error) {
    runtime.telemetry.close();
    throw error;
  }
}
