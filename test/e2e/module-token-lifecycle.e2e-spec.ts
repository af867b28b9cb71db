/**
 * Token lifecycle of VaultConfigModule on real HTTP, against the in-memory server and (CI) OpenBao:
 * renewal at about 2/3 of the TTL, a new login when max TTL is near, a new login after a revoke,
 * health flipping on revoke, revokeOnShutdown, and no timer or socket left after app.close().
 * TTLs are a few seconds, so the suite runs on real time on both targets.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { SecretsService, type VaultConfigModuleSettings } from 'nestjs-vault-config';
import { selectedTargets, startTarget, type VaultTarget } from '../support/vault-target.js';
import {
  appRoleFor,
  eventually,
  revokeTokensWithPolicy,
  sleep,
  tokensWithPolicy,
  type AppRoleCredentials,
} from './lifecycle-support.js';
import { bootHealthApp, getHealth } from './health-app.js';
import { canary, CapturingLogger, expectNoCanary, writeKv2 } from './module-support.js';

describe.each(selectedTargets())('token lifecycle (%s)', kind => {
  let target: VaultTarget;
  const secret = canary('token-life');
  const logger = new CapturingLogger();
  const outputs: string[] = [];
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    target = await startTarget(kind);
    await writeKv2(target, 'token-life/app', { LIFE_SECRET: secret });
  });
  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    expectNoCanary([...outputs, ...logger.lines], [secret]);
    await target?.stop();
  });

  async function boot(
    creds: AppRoleCredentials,
    settings: Partial<VaultConfigModuleSettings> = {},
  ): Promise<INestApplication> {
    const app = await bootHealthApp(
      {
        address: target.url,
        auth: { method: 'approle', roleId: creds.roleId, secretId: creds.secretId },
        sources: [{ mount: 'secret', path: 'token-life/app' }],
        healthCacheMs: 100,
        ...settings,
      },
      logger,
    );
    apps.push(app);
    return app;
  }

  const health = (app: INestApplication) => getHealth(app, outputs);

  it('renews a renewable token at about 2/3 of its TTL, so it outlives its first TTL', async () => {
    const creds = await appRoleFor(target, 'life-renew', 'token-life', {
      tokenTtl: '3s',
      tokenMaxTtl: '1h',
    });
    const app = await boot(creds);
    const first = await health(app);
    expect(first.status).toBe(200);
    expect(first.body.details.vault.tokenTtlS).toBeGreaterThan(0);
    await sleep(4500); // past the first 3 s TTL: only a renewal keeps the token alive
    const secrets = app.get(SecretsService);
    await expect(secrets.refresh()).resolves.toMatchObject({ changed: false });
    expect(await tokensWithPolicy(target, creds.policy)).toHaveLength(1); // renewed, no new login
    const later = await health(app);
    expect(later.status).toBe(200);
    expect(later.body.details.vault.tokenTtlS).toBeGreaterThan(0);
    await app.close();
  });

  it('logs in again when the max TTL caps renewal, before the token dies', async () => {
    const creds = await appRoleFor(target, 'life-maxttl', 'token-life', {
      tokenTtl: '2s',
      tokenMaxTtl: '3s',
    });
    const app = await boot(creds);
    await sleep(5000); // first token is dead by now (max TTL 3 s)
    const secrets = app.get(SecretsService);
    await expect(secrets.refresh()).resolves.toMatchObject({ changed: false });
    expect((await health(app)).status).toBe(200);
    const log = logger.lines.join('\n');
    expect(log).toMatch(/Vault token renewed \(TTL [12]s\)/); // capped by the 3 s max TTL
    expect(log).toMatch(/Vault token replaced by a new approle login/);
    expect(log).not.toMatch(/token renewal failed/);
    await app.close();
  });

  it('after a revoke: health goes down, the next refresh logs in again, health recovers', async () => {
    const creds = await appRoleFor(target, 'life-revoke', 'token-life', {
      tokenTtl: '1h',
      tokenMaxTtl: '2h',
    });
    const app = await boot(creds);
    expect((await health(app)).status).toBe(200);
    expect(await revokeTokensWithPolicy(target, creds.policy)).toBe(1);
    await sleep(150); // past healthCacheMs
    const down = await health(app);
    expect(down.status).toBe(503);
    expect(down.body.details.vault).toMatchObject({ status: 'down', tokenValid: false });
    const secrets = app.get(SecretsService);
    await expect(secrets.refresh()).resolves.toMatchObject({ changed: false });
    expect(secrets.get('LIFE_SECRET')).toBe(secret);
    await sleep(150);
    expect((await health(app)).status).toBe(200);
    await app.close();
  });

  it('revokeOnShutdown revokes the login token; without it the token is left to expire', async () => {
    const creds = await appRoleFor(target, 'life-shutdown', 'token-life', {
      tokenTtl: '1h',
      tokenMaxTtl: '2h',
    });
    const kept = await boot(creds);
    await kept.close();
    expect(await tokensWithPolicy(target, creds.policy)).toHaveLength(1);
    await revokeTokensWithPolicy(target, creds.policy);
    const revoked = await boot(creds, { revokeOnShutdown: true });
    expect(await tokensWithPolicy(target, creds.policy)).toHaveLength(1);
    await revoked.close();
    expect(
      await eventually(
        async () => (await tokensWithPolicy(target, creds.policy)).length === 0,
        2000,
      ),
    ).toBe(true);
  });

  it('app.close() leaves nothing that keeps the process alive, and stops every timer', async () => {
    const creds = await appRoleFor(target, 'life-handles', 'token-life', {
      tokenTtl: '2s',
      tokenMaxTtl: '1h',
    });
    // What keeps the event loop alive (ref'd timers, sockets, servers): what Jest reports as open.
    const alive = () => process.getActiveResourcesInfo().filter(r => r !== 'TTYWrap').length;
    await sleep(50);
    const before = alive();
    const app = await boot(creds, { refresh: { intervalMs: 300 } });
    await health(app);
    await sleep(1600); // a renewal and several refreshes have run
    await app.close();
    // Client sockets of this test (fetch keep-alive) close as the app's server goes away.
    expect(await eventually(() => alive() <= before, 2000)).toBe(true);
    const memory = target.memory;
    if (memory) {
      memory.resetStats();
      await sleep(1000); // three refresh intervals and a renewal would have fired by now
      expect(memory.stats().total).toBe(0);
    }
  });
});
