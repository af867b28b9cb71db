/**
 * OpenTelemetry metrics of VaultConfigModule on real HTTP, against the in-memory server and (CI)
 * OpenBao, collected with the SDK: the first load, logins, a refresh with a change and one cut off
 * by an outage (counted by error class), durations, token TTL and refresh age gauges. Neither the
 * planted secret value nor the token appears anywhere in what an exporter would be sent; after
 * app.close() the app's gauges report nothing; `metrics: false` leaves a global provider untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { metrics } from '@opentelemetry/api';
import {
  SecretsService,
  VaultUnavailableError,
  type VaultConfigModuleSettings,
} from 'nestjs-vault-config';
import { canary, expectNoCanary } from '../support/canary.js';
import { writeKv2 } from '../support/contract-helpers.js';
import { bootHealthApp } from '../support/health-app.js';
import { eventually, sleep, tokenWithPolicy } from '../support/lifecycle-support.js';
import { collect, meterProvider, type Collected } from '../support/metrics-support.js';
import { CapturingLogger } from '../support/module-support.js';
import { startOutageProxy, type OutageProxy } from '../support/outage-proxy.js';
import { selectedTargets, startTarget, type VaultTarget } from '../support/vault-target.js';

const GAUGES = [
  'vault_config.token.ttl',
  'vault_config.refresh.age',
  'vault_config.lease.remaining',
  'vault_config.certificate.remaining',
];

const valuesOf = (got: Collected, name: string) =>
  got.points(name).map(p => [p.attributes, p.value]);

describe.each(selectedTargets())('OpenTelemetry metrics (%s)', kind => {
  let target: VaultTarget;
  let proxy: OutageProxy;
  let token: string;
  const logger = new CapturingLogger();
  const apps: INestApplication[] = [];
  const [v1, v2] = [canary('metrics-v1'), canary('metrics-v2')];

  beforeAll(async () => {
    target = await startTarget(kind);
    proxy = await startOutageProxy(target.url);
    token = await tokenWithPolicy(
      target,
      'metrics-app',
      'path "secret/data/metrics/*" { capabilities = ["read"] }\n',
    );
    await writeKv2(target, 'metrics/app', { METRICS_VALUE: v1 });
  });
  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    expectNoCanary(logger.lines, [v1, v2, token]);
    await proxy?.stop();
    await target?.stop();
  });

  async function boot(settings: Partial<VaultConfigModuleSettings>): Promise<INestApplication> {
    const app = await bootHealthApp(
      {
        address: proxy.url,
        auth: { method: 'token', token },
        sources: [{ mount: 'secret', path: 'metrics/app', kv: 2 }],
        refresh: { intervalMs: 3_600_000 },
        retry: { attempts: 1 },
        envFallback: false,
        ...settings,
      },
      logger,
    );
    apps.push(app);
    return app;
  }

  it('counts, times and gauges the session by name, unit and attribute — never a value or the token', async () => {
    const { provider, reader } = meterProvider();
    const app = await boot({ metrics: { meterProvider: provider } });
    const secrets = app.get(SecretsService);
    // The token's TTL is known after the lookup a moment after boot.
    const ttlKnown = async () =>
      (await collect(reader)).points('vault_config.token.ttl').length > 0;
    expect(await eventually(ttlKnown, 5000)).toBe(true);

    await writeKv2(target, 'metrics/app', { METRICS_VALUE: v2 });
    await expect(secrets.refresh()).resolves.toMatchObject({ changed: true });
    proxy.cut();
    await expect(secrets.refresh()).rejects.toBeInstanceOf(VaultUnavailableError);
    proxy.restore();

    const got = await collect(reader);
    expect(got.metric('vault_config.loads')?.descriptor.unit).toBe('{load}');
    expect(valuesOf(got, 'vault_config.loads')).toEqual([
      [{ 'vault.outcome': 'success', 'vault.load.mode': 'vault' }, 1],
    ]);
    expect(valuesOf(got, 'vault_config.refreshes')).toEqual([
      [
        {
          'vault.outcome': 'success',
          'vault.refresh.trigger': 'demand',
          'vault.refresh.changed': true,
        },
        1,
      ],
      [
        {
          'vault.outcome': 'failure',
          'error.type': 'VaultUnavailableError',
          'vault.refresh.trigger': 'demand',
        },
        1,
      ],
    ]);
    expect(valuesOf(got, 'vault_config.logins')).toEqual([
      [{ 'vault.outcome': 'success', 'vault.auth.method': 'token' }, 1],
    ]);
    expect(valuesOf(got, 'vault_config.failures')).toEqual([
      [
        {
          'error.type': 'VaultUnavailableError',
          'vault.refresh.trigger': 'demand',
          'vault.during': 'refresh',
        },
        1,
      ],
    ]);
    for (const name of ['vault_config.load.duration', 'vault_config.refresh.duration']) {
      expect(got.metric(name)?.descriptor.unit).toBe('s');
      const counts = got.points(name).map(p => (p.value as { count: number }).count);
      expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    }
    const [ttl] = got.points('vault_config.token.ttl');
    expect(ttl?.attributes).toEqual({ 'vault.auth.method': 'token' });
    expect(ttl?.value).toBeGreaterThan(0);
    expect(got.metric('vault_config.token.ttl')?.descriptor.unit).toBe('s');
    expect(got.points('vault_config.refresh.age')).toHaveLength(1);
    expectNoCanary([got.json], [v1, v2, token]);

    await app.close();
    const after = await collect(reader);
    for (const gauge of GAUGES) expect(after.points(gauge)).toEqual([]);
    await provider.shutdown();
  });

  it('the global provider by default; metrics: false never reaches it', async () => {
    const { provider, reader } = meterProvider();
    expect(metrics.setGlobalMeterProvider(provider)).toBe(true);
    try {
      const off = await boot({ metrics: false });
      await off.get(SecretsService).refresh();
      await sleep(300);
      expect((await collect(reader)).names()).toEqual([]);
      await off.close();

      const on = await boot({});
      const loaded = async () => (await collect(reader)).points('vault_config.loads').length > 0;
      expect(await eventually(loaded, 3000)).toBe(true);
      expectNoCanary([(await collect(reader)).json], [v1, v2, token]);
      await on.close();
    } finally {
      metrics.disable();
      await provider.shutdown();
    }
  });
});
