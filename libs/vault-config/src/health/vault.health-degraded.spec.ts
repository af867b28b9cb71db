import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { HealthIndicatorService } from '@nestjs/terminus';
import { createServer, type Server } from 'node:net';
import { VaultTestServer } from '../../../vault-testing/src/index.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import type { VaultHealthOptions } from '../interfaces/vault-health-options.interface.js';
import { VaultSecretsRuntime } from '../runtime/vault-secrets-runtime.js';
import { degradedReasons } from './degraded-reasons.js';
import { VaultHealthIndicator } from './vault.health.js';

const TOKEN = 'canary-degraded-token';
const SECRET = 'canary-degraded-secret';

/** Terminus 11's HealthIndicatorService: its sessions have `up` and `down`, no `degraded`. */
class Terminus11HealthIndicatorService extends HealthIndicatorService {
  override check<const Key extends string>(key: Key) {
    const session = super.check(key);
    return {
      up: session.up.bind(session),
      down: session.down.bind(session),
    } as unknown as ReturnType<HealthIndicatorService['check']> as never;
  }
}

describe('VaultHealthIndicator: degraded', () => {
  let server: VaultTestServer;
  let refusing: Server;
  let refusingUrl: string;
  const opened: { runtime: VaultSecretsRuntime; indicator: VaultHealthIndicator }[] = [];

  beforeAll(async () => {
    server = await VaultTestServer.start({
      seed: {
        secrets: { 'secret/app': { SECRET_KEY: SECRET } },
        policies: { app: 'path "secret/data/app" { capabilities = ["read"] }' },
        tokens: [{ id: TOKEN, policies: ['app'], ttl: '1h' }],
      },
    });
    // A port that accepts and resets every connection: a cluster node that is down.
    refusing = createServer(socket => socket.resetAndDestroy());
    await new Promise<void>(resolve => refusing.listen(0, '127.0.0.1', resolve));
    const { port } = refusing.address() as { port: number };
    refusingUrl = `http://127.0.0.1:${port}`;
  });
  afterEach(async () => {
    server.faults.clear();
    for (const { runtime, indicator } of opened.splice(0)) {
      await indicator.onModuleDestroy();
      await runtime.close();
    }
  });
  afterAll(async () => {
    await new Promise(resolve => refusing.close(resolve));
    await server.stop();
  });

  const start = async (
    settings: Partial<VaultConfigOptions & VaultHealthOptions> = {},
    health: HealthIndicatorService = new HealthIndicatorService(),
  ) => {
    const runtime = await VaultSecretsRuntime.start({
      address: server.url,
      auth: { method: 'token', token: TOKEN },
      sources: [{ mount: 'secret', path: 'app', kv: 2 }],
      envFallback: false,
      retry: { attempts: 1 },
      healthCacheMs: 0,
      healthMaxStalenessMs: 60_000,
      ...settings,
    });
    const indicator = new VaultHealthIndicator(health, runtime);
    opened.push({ runtime, indicator });
    return { runtime, indicator };
  };
  const check = async (indicator: VaultHealthIndicator) => {
    const shown = JSON.stringify(await indicator.isHealthy('vault'));
    for (const canary of [TOKEN, SECRET]) expect(shown).not.toContain(canary);
    return (JSON.parse(shown) as { vault: Record<string, unknown> }).vault;
  };

  it('serving last known good after a failed refresh: degraded; up again once a refresh works', async () => {
    const { runtime, indicator } = await start();
    expect(await check(indicator)).toMatchObject({ status: 'up' });
    server.faults.inject({ path: '/v1/secret/data/app', status: 503 });
    await expect(runtime.refresh()).rejects.toThrow();
    expect(await check(indicator)).toMatchObject({
      status: 'degraded',
      reason: 'last-known-good',
      lastError: { during: 'refresh' },
    });
    server.faults.clear();
    await runtime.refresh();
    const up = await check(indicator);
    expect(up.status).toBe('up');
    expect(up).not.toHaveProperty('reason');
  });

  it('on Terminus 11 (no degraded()): up, with degraded: true and the same reason', async () => {
    const { runtime, indicator } = await start({}, new Terminus11HealthIndicatorService());
    server.faults.inject({ path: '/v1/secret/data/app', status: 503 });
    await expect(runtime.refresh()).rejects.toThrow();
    expect(await check(indicator)).toMatchObject({
      status: 'up',
      degraded: true,
      reason: 'last-known-good',
    });
  });

  it('a failover address in use (the first node is down): degraded, naming the address', async () => {
    const { indicator } = await start({ address: [refusingUrl, server.url] });
    expect(await check(indicator)).toMatchObject({
      status: 'degraded',
      reason: 'failover',
      address: server.url,
    });
  });
});

describe('degradedReasons', () => {
  const base = { mode: 'vault' as const, lastRefreshAgeMs: 0 };
  const failing = { error: 'VaultAuthError', reason: 'r', since: 's', attempts: 1 };

  it('names every reason that applies, in a fixed order', () => {
    expect(
      degradedReasons({
        status: {
          ...base,
          credentialsError: { ...failing, during: 'lease renewal' },
          tokenExpiring: true,
        },
        refreshFailing: true,
        address: 'http://b',
        addresses: ['http://a', 'http://b'],
      }),
    ).toEqual(['last-known-good', 'failover', 'credentials-not-renewed', 'token-expiring']);
  });

  it('none on the first address with nothing failing', () => {
    expect(
      degradedReasons({
        status: base,
        refreshFailing: false,
        address: 'http://a',
        addresses: ['http://a', 'http://b'],
      }),
    ).toEqual([]);
  });
});
