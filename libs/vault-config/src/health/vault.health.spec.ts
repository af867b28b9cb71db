/**
 * The indicator on a real runtime and the test server. Cache windows, timeouts and staleness are
 * checked on Jest's fake clock (only `Date`, or `Date` and the timers): exact whatever the load.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { HealthIndicatorService } from '@nestjs/terminus';
import { VaultTestServer } from '../../../vault-testing/src/index.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import type { VaultHealthOptions } from '../interfaces/vault-health-options.interface.js';
import { VaultSecretsRuntime } from '../runtime/vault-secrets-runtime.js';
import { VaultHealthIndicator } from './vault.health.js';
import { freezeDate, moveDate } from '../utils/frozen-date.spec-helpers.js';

const TOKEN = 'canary-health-token-main';
const REVOKED = 'canary-health-token-to-revoke';
const SECRET = 'canary-health-secret-value';
/** Date and the timers are fake (the server's latency faults too); I/O stays real. */
const fakeTimers = () =>
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });

describe('VaultHealthIndicator on a real runtime and the test server', () => {
  let server: VaultTestServer;
  const opened: { runtime: VaultSecretsRuntime; indicator: VaultHealthIndicator }[] = [];

  beforeAll(async () => {
    server = await VaultTestServer.start({
      seed: {
        secrets: { 'secret/app': { SECRET_KEY: SECRET } },
        policies: { app: 'path "secret/data/app" { capabilities = ["read"] }' },
        tokens: [
          { id: TOKEN, policies: ['app'], ttl: '1h' },
          { id: REVOKED, policies: ['app'], ttl: '1h' },
        ],
      },
    });
  });
  afterEach(async () => {
    jest.useRealTimers();
    server.faults.clear();
    for (const { runtime, indicator } of opened.splice(0)) {
      await indicator.onModuleDestroy();
      await runtime.close();
    }
  });
  afterAll(() => server.stop());

  const start = async (settings: Partial<VaultConfigOptions & VaultHealthOptions> = {}) => {
    const options: VaultConfigOptions & VaultHealthOptions = {
      address: server.url,
      auth: { method: 'token', token: TOKEN },
      sources: [{ mount: 'secret', path: 'app', kv: 2 }],
      envFallback: false,
      retry: { attempts: 1 },
      healthCacheMs: 300,
      healthTimeoutMs: 1000,
      ...settings,
    };
    const runtime = await VaultSecretsRuntime.start(options);
    const indicator = new VaultHealthIndicator(new HealthIndicatorService(), runtime);
    opened.push({ runtime, indicator });
    return { runtime, indicator };
  };
  /** One `isHealthy()`, checked for canaries; the details with the status, as Terminus shows them. */
  const check = async (indicator: VaultHealthIndicator) => {
    const result = await indicator.isHealthy('vault');
    const shown = JSON.stringify(result);
    for (const canary of [TOKEN, REVOKED, SECRET]) expect(shown).not.toContain(canary);
    return result.vault as Record<string, unknown>;
  };
  const probes = () => server.stats().byRoute['GET /v1/sys/health'] ?? 0;

  it('up with what sys/health and lookup-self said, and the runtime’s status', async () => {
    const { indicator } = await start();
    const up = await check(indicator);
    expect(up).toMatchObject({
      status: 'up',
      initialized: true,
      sealed: false,
      standby: false,
      version: expect.any(String),
      lastRefreshAgeMs: expect.any(Number),
    });
    expect(up.tokenTtlS).toBeGreaterThan(3500);
    expect(up).not.toHaveProperty('lastError');
    expect(up).not.toHaveProperty('healthy');
  });

  it('probes Vault once per cacheMs however many calls, in flight or cached', async () => {
    const cacheMs = 1000;
    const { indicator } = await start({ healthCacheMs: cacheMs });
    server.faults.inject({ path: '/v1/sys/health', latencyMs: 100 });
    server.resetStats();
    freezeDate(); // however long the bursts take, they are in one window until the date moves
    const burst = () => Promise.all(Array.from({ length: 50 }, () => check(indicator)));
    expect((await burst()).every(a => a.status === 'up')).toBe(true); // in flight: one probe
    await burst(); // cached
    moveDate(cacheMs - 1);
    await burst();
    expect(probes()).toBe(1);
    moveDate(1);
    await burst();
    expect(probes()).toBe(2);
  });

  it('down with a timeout message when the probe takes longer than timeoutMs', async () => {
    const { indicator } = await start({ healthTimeoutMs: 100 });
    server.faults.inject({ path: '/v1/sys/health', latencyMs: 600, times: 1 });
    fakeTimers(); // the server's 600 ms latency runs on the same fake clock
    let down: Record<string, unknown> | undefined;
    const checked = check(indicator).then(d => (down = d));
    await jest.advanceTimersByTimeAsync(99);
    await new Promise(resolve => setImmediate(resolve));
    expect(down).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1); // at 100 ms, while Vault's answer is 500 ms away
    await checked;
    expect(down).toMatchObject({ status: 'down', message: 'timeout of 100ms exceeded' });
    await jest.advanceTimersByTimeAsync(500); // the late answer arrives and is dropped
  });

  it('down when Vault is sealed', async () => {
    const { indicator } = await start();
    server.seal();
    try {
      expect(await check(indicator)).toMatchObject({ status: 'down', sealed: true });
    } finally {
      server.unseal();
    }
  });

  it('down when Vault no longer accepts the token (revoked)', async () => {
    const { indicator } = await start({ auth: { method: 'token', token: REVOKED } });
    const res = await fetch(`${server.url}/v1/auth/token/revoke`, {
      method: 'POST',
      headers: { 'X-Vault-Token': server.rootToken },
      body: JSON.stringify({ token: REVOKED }),
    });
    expect(res.status).toBe(204);
    const down = await check(indicator);
    expect(down).toMatchObject({ status: 'down', sealed: false, tokenValid: false });
    expect(down.message).toBe('Vault no longer accepts the token (expired or revoked)');
    expect(down).not.toHaveProperty('tokenTtlS', expect.any(Number));
  });

  it('down and stale when refreshes fail for longer than maxStalenessMs; degraded before that', async () => {
    const failing = async (maxStalenessMs: number) => {
      const { runtime, indicator } = await start({ healthMaxStalenessMs: maxStalenessMs });
      server.faults.inject({ path: '/v1/secret/data/app', status: 503 });
      await expect(runtime.refresh()).rejects.toThrow('unavailable');
      expect(runtime.refreshFailing).toBe(true);
      moveDate(80);
      return check(indicator);
    };
    freezeDate();
    const stale = await failing(50);
    expect(stale).toMatchObject({ status: 'down', stale: true, sealed: false });
    expect(stale.lastError).toMatchObject({ error: 'VaultUnavailableError', during: 'refresh' });
    server.faults.clear();
    const early = await failing(60_000);
    expect(early).toMatchObject({
      status: 'degraded',
      reason: 'last-known-good',
      lastError: { during: 'refresh' },
    });
    expect(early).not.toHaveProperty('stale');
  });

  it('an old last refresh is not stale while refreshes are not failing', async () => {
    freezeDate();
    const { indicator } = await start({ healthMaxStalenessMs: 20 });
    moveDate(60);
    const up = await check(indicator);
    expect(up.status).toBe('up');
    expect(up.lastRefreshAgeMs).toBe(60);
  });

  it('never throws: a reset connection or a broken answer is down with a safe message', async () => {
    const first = await start({ healthCacheMs: 0 });
    server.faults.inject({ path: '/v1/sys/health', reset: true });
    const reset = await check(first.indicator);
    expect(reset).toMatchObject({ status: 'down' });
    expect(reset.message).toMatch(/ECONNRESET/);
    server.faults.clear();
    server.faults.inject({ path: '/v1/sys/health', malformed: 'invalid-json' });
    const broken = await check(first.indicator);
    expect(broken.status).toBe('down');
    expect(broken.message).toContain('sys/health: the response body is not valid JSON');
  });

  it('enabled: false is up without contacting Vault', async () => {
    server.resetStats();
    const { indicator } = await start({ enabled: false, sources: [], defaults: { A: '1' } });
    expect(await check(indicator)).toEqual({ status: 'up', enabled: false });
    expect(server.stats().total).toBe(0);
  });
});
