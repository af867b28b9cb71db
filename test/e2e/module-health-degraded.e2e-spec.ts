/**
 * `/health` answers `degraded` (Terminus 12: HTTP 200, overall `status: 'degraded'`) with a `reason`
 * while the app still serves but is impaired, on the in-memory server and on OpenBao — and goes back
 * to `ok` once the cause is gone: serving last known good secrets after a failed refresh, a failover
 * address in use, a token renewal that fails; a fixed token running out is `degraded`, then `down`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { SecretsService, type VaultConfigModuleSettings } from 'nestjs-vault-config';
import { selectedTargets, startTarget, type VaultTarget } from '../support/vault-target.js';
import { bootHealthApp, getHealth, type HealthBody } from '../support/health-app.js';
import { eventually } from '../support/lifecycle-support.js';
import { startOutageProxy, type OutageProxy } from '../support/outage-proxy.js';
import { CapturingLogger } from '../support/module-support.js';
import { canary, expectNoCanary } from '../support/canary.js';
import { createToken, putPolicy, uniq, writeKv2 } from '../support/contract-helpers.js';

const LOOKUP = 'path "auth/token/lookup-self" { capabilities = ["read"] }\n';
const RENEW = 'path "auth/token/renew-self" { capabilities = ["update"] }\n';

describe.each(selectedTargets())('VaultHealthIndicator degraded (%s)', kind => {
  let target: VaultTarget;
  const logger = new CapturingLogger();
  const bodies: string[] = [];
  const secret = canary('degraded');
  const apps: INestApplication[] = [];
  const proxies: OutageProxy[] = [];

  beforeAll(async () => {
    target = await startTarget(kind);
    await writeKv2(target, 'degraded/app', { DEGRADED_SECRET: secret });
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    for (const proxy of proxies.splice(0)) await proxy.stop();
  });
  afterAll(async () => {
    expectNoCanary([...bodies, ...logger.lines], [secret]);
    await target?.stop();
  });

  /** A policy `name` that reads the secret (and `extra`), and a token with only it. */
  async function tokenFor(name: string, extra: string, token: Record<string, unknown> = {}) {
    const read = 'path "secret/data/degraded/*" { capabilities = ["read"] }\n';
    await putPolicy(target, name, read + LOOKUP + extra);
    return createToken(target, { policies: [name], no_default_policy: true, ttl: '1h', ...token });
  }

  async function boot(settings: Partial<VaultConfigModuleSettings>): Promise<INestApplication> {
    const app = await bootHealthApp(
      {
        address: target.url,
        auth: { method: 'token', token: target.rootToken },
        sources: [{ mount: 'secret', path: 'degraded/app' }],
        envFallback: false,
        healthCacheMs: 0,
        healthTimeoutMs: 1000,
        retry: { attempts: 1 },
        ...settings,
      },
      logger,
    );
    apps.push(app);
    return app;
  }

  const health = (app: INestApplication) => getHealth(app, bodies);
  const vault = (body: HealthBody) => body.details.vault;
  const isOk = async (app: INestApplication) => {
    const res = await health(app);
    return res.status === 200 && res.body.status === 'ok' && vault(res.body).reason === undefined;
  };

  it('last known good: a refresh the policy now denies → degraded; a working refresh → ok', async () => {
    const policy = uniq('degraded-lkg');
    const token = await tokenFor(policy, '');
    const app = await boot({
      auth: { method: 'token', token },
      refresh: { intervalMs: 3_600_000 },
      healthMaxStalenessMs: 60_000,
    });
    const secrets = app.get(SecretsService);
    expect(await isOk(app)).toBe(true);
    await putPolicy(target, policy, LOOKUP); // no read of the secret any more
    await expect(secrets.refresh()).rejects.toThrow();
    const degraded = await health(app);
    expect(degraded.status).toBe(200);
    expect(degraded.body.status).toBe('degraded');
    expect(vault(degraded.body)).toMatchObject({
      status: 'degraded',
      reason: 'last-known-good',
      lastError: { error: 'VaultPermissionError', during: 'refresh' },
    });
    expect(secrets.get('DEGRADED_SECRET')).toBe(secret);
    await tokenFor(policy, ''); // the read is allowed again
    await secrets.refresh();
    expect(await isOk(app)).toBe(true);
  });

  it('failover: the second address in use → degraded; back on the first → ok', async () => {
    const [first, second] = [
      await startOutageProxy(target.url),
      await startOutageProxy(target.url),
    ];
    proxies.push(first, second);
    first.cut();
    const app = await boot({ address: [first.url, second.url] });
    const degraded = await health(app);
    expect(degraded.status).toBe(200);
    expect(degraded.body.status).toBe('degraded');
    expect(vault(degraded.body)).toMatchObject({ reason: 'failover', address: second.url });
    first.restore();
    second.cut(); // the client moves on (wrapping around) only when the node in use fails
    expect(await eventually(() => isOk(app), 5000)).toBe(true);
    expect(vault((await health(app)).body).address).toBe(first.url);
  });

  it('token renewal denied → degraded (credentials-not-renewed); allowed again → ok', async () => {
    const policy = uniq('degraded-renew');
    // Renewed at ≈ 2/3 of its TTL (after the lookup 1 s after boot); 9 s leave room for a retry.
    const token = await tokenFor(policy, '', { ttl: '9s' });
    const app = await boot({ auth: { method: 'token', token } });
    expect(await isOk(app)).toBe(true);
    let last: HealthBody | undefined;
    const degraded = await eventually(async () => {
      last = (await health(app)).body;
      return last.status === 'degraded';
    }, 8000);
    expect(degraded).toBe(true);
    expect(vault(last!)).toMatchObject({
      status: 'degraded',
      reason: 'credentials-not-renewed',
      lastError: { error: 'VaultPermissionError', during: 'token renewal' },
    });
    await tokenFor(policy, RENEW);
    expect(await eventually(() => isOk(app), 5000)).toBe(true);
  });

  it('a fixed token running out: degraded (token-expiring) in its last third, down once expired', async () => {
    const token = await tokenFor(uniq('degraded-fixed'), '', { ttl: '6s', renewable: false });
    const app = await boot({ auth: { method: 'token', token } });
    expect(await isOk(app)).toBe(true);
    let last: { status: number; body: HealthBody } | undefined;
    const seen: string[] = [];
    const expired = await eventually(async () => {
      last = await health(app);
      const reason = vault(last.body).reason;
      if (typeof reason === 'string' && !seen.includes(reason)) seen.push(reason);
      return last.status === 503;
    }, 9000);
    expect(seen).toEqual(['token-expiring']);
    expect(expired).toBe(true);
    expect(vault(last!.body)).toMatchObject({ status: 'down', tokenValid: false });
  });
});
