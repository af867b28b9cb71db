import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { VaultMetricsOptions } from '../interfaces/vault-metrics-options.interface.js';
import { TelemetryRelay } from '../runtime/telemetry-relay.js';
import type { VaultSecretsRuntime } from '../runtime/vault-secrets-runtime.js';
import { collect, meterProvider } from './metrics.spec-helpers.js';
import { startVaultMetrics, type ImportOpenTelemetryApi } from './start-vault-metrics.js';
import { METER_NAME, METER_VERSION, METRIC } from './vault-metric-names.js';

/** The part of the runtime the metrics read: options, the relay, the gauges' reading. */
function fakeRuntime(metrics: false | VaultMetricsOptions) {
  const telemetry = new TelemetryRelay(metrics !== false);
  telemetry.loaded({ durationMs: 30, outcome: 'success', mode: 'vault' });
  const runtime = {
    options: { metrics, authMethod: 'approle' },
    telemetry,
    telemetryReading: () => ({ tokenTtlS: 60, lastRefreshAgeMs: 0, expiries: [] }),
  };
  return runtime as unknown as VaultSecretsRuntime;
}

const notFound = Object.assign(new Error("Cannot find package '@opentelemetry/api'"), {
  code: 'ERR_MODULE_NOT_FOUND',
});

describe('startVaultMetrics', () => {
  const shutdowns: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const s of shutdowns.splice(0)) await s();
  });

  it('records on the given meterProvider, with the load held since boot; the API is not imported', async () => {
    const { provider, reader } = meterProvider();
    shutdowns.push(() => provider.shutdown());
    const getMeter = jest.spyOn(provider, 'getMeter');
    const load = jest.fn<ImportOpenTelemetryApi>();
    await startVaultMetrics(fakeRuntime({ meterProvider: provider }), load);
    expect(load).not.toHaveBeenCalled();
    expect(getMeter).toHaveBeenCalledWith(METER_NAME, METER_VERSION);
    const got = await collect(reader);
    expect(got.points(METRIC.loads).map(p => p.value)).toEqual([1]);
    expect(got.points(METRIC.tokenTtl).map(p => p.value)).toEqual([60]);
  });

  it('without a provider, takes the API global one', async () => {
    const { provider, reader } = meterProvider();
    shutdowns.push(() => provider.shutdown());
    await startVaultMetrics(fakeRuntime({}), async () => ({ metrics: provider }));
    expect((await collect(reader)).points(METRIC.loads)).toHaveLength(1);
  });

  it('@opentelemetry/api not installed: a silent no-op that holds nothing more', async () => {
    const runtime = fakeRuntime({});
    await expect(
      startVaultMetrics(runtime, () => Promise.reject(notFound)),
    ).resolves.toBeUndefined();
    expect(runtime.telemetry.closed).toBe(true);
  });

  it('any other import failure rejects (the module logs it) and stops holding events', async () => {
    const runtime = fakeRuntime({});
    await expect(
      startVaultMetrics(runtime, () => Promise.reject(new TypeError('broken'))),
    ).rejects.toThrow('broken');
    expect(runtime.telemetry.closed).toBe(true);
  });

  it('metrics: false never imports the API', async () => {
    const load = jest.fn<ImportOpenTelemetryApi>();
    await startVaultMetrics(fakeRuntime(false), load);
    expect(load).not.toHaveBeenCalled();
  });

  it('the meter version is the package version', () => {
    const url = new URL('../../package.json', import.meta.url);
    const pkg = JSON.parse(readFileSync(url, 'utf8')) as { version: string };
    expect(METER_VERSION).toBe(pkg.version);
  });
});
