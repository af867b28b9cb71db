/**
 * Token lifecycle of VaultConfigModule on real HTTP, against the in-memory server and (CI) OpenBao:
 * renewal at about 2/3 of the TTL, a new login when max TTL is near, a new login after a revoke
 * (AppRole, and a token file read again), health flipping on revoke, Retry-After on a rate-limited
 * renewal, revokeOnShutdown, and no timer or socket left after app.close().
 * TTLs are a few seconds, so the suite runs on real time on both targets; it asserts order and
 * counts (renewed before the TTL ran out, never sooner than the schedule allows), not how late a
 * timer fired: the exact schedule is pinned on a fake clock in the lifecycle unit specs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { SecretsService, type VaultConfigModuleSettings } from 'nestjs-vault-config';
import { selectedTargets, startTarget, type VaultTarget } from '../support/vault-target.js';
import {
  appRoleFor,
  eventually,
  revokeTokensWithPolicy,
  rootCall,
  sleep,
  tokensWithPolicy,
  tokenWithPolicy,
  type AppRoleCredentials,
} from '../support/lifecycle-support.js';
import { bootHealthApp, getHealth } from '../support/health-app.js';
import { CapturingLogger } from '../support/module-support.js';
import { canary, expectNoCanary } from '../support/canary.js';
import { writeKv2 } from '../support/contract-helpers.js';

describe.each(selectedTargets())('token lifecycle (%s)', kind => {
  let target: VaultTarget;
  const secret = canary('token-life');
  const logger = new CapturingLogger();
  const outputs: string[] = [];
  const apps: INestApplication[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'token-life-'));

  beforeAll(async () => {
    target = await startTarget(kind);
    await writeKv2(target, 'token-life/app', { LIFE_SECRET: secret });
  });
  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    expectNoCanary([...outputs, ...logger.lines], [secret]);
    rmSync(dir, { recursive: true, force: true });
    await target?.stop();
  });

  /** `settings.auth` replaces the AppRole login built from `creds`. */
  async function boot(
    creds: AppRoleCredentials | undefined,
    settings: Partial<VaultConfigModuleSettings> = {},
  ): Promise<INestApplication> {
    const app = await bootHealthApp(
      {
        address: target.url,
        auth: creds && { method: 'approle', roleId: creds.roleId, secretId: creds.secretId },
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

  /** When the module logged lines matching `pattern`, from `since` on. */
  const loggedAt = (pattern: RegExp, since: number): number[] =>
    logger.times.filter((at, i) => at >= since && pattern.test(logger.lines[i]));

  it('renews a renewable token at about 2/3 of its TTL (up to 10 % earlier), again and again', async () => {
    const creds = await appRoleFor(target, 'life-renew', 'token-life', {
      tokenTtl: '3s',
      tokenMaxTtl: '1h',
    });
    const since = Date.now();
    const app = await boot(creds);
    const first = await health(app);
    expect(first.status).toBe(200);
    expect(first.body.details.vault.tokenTtlS).toBeGreaterThan(0);
    const renewals = () => loggedAt(/Vault token renewed/, since).length;
    // Twice renewed means past the first 3 s TTL: only renewals kept the login token alive.
    expect(await eventually(() => renewals() >= 2, 15_000)).toBe(true);
    // Not renewed in a loop: the schedule (2/3 of 3 s, at most 10 % earlier) allows one renewal
    // per 1.8 s at most; a busy machine only makes renewals later, so fewer.
    expect(renewals()).toBeLessThanOrEqual(Math.floor((Date.now() - since) / 1800));
    expect(loggedAt(/token replaced by a new|token renewal failed/, since)).toEqual([]);
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

  it('tokenFile: after a revoke the file is read again (as Vault Agent rewrites it)', async () => {
    const hcl = 'path "secret/data/token-life/*" { capabilities = ["read"] }\n';
    const file = join(dir, 'vault-token');
    const firstToken = await tokenWithPolicy(target, 'life-file', hcl);
    writeFileSync(file, `${firstToken}\n`, { mode: 0o600 });
    const app = await boot(undefined, { auth: { method: 'tokenFile', path: file } });
    expect((await health(app)).status).toBe(200);

    await rootCall(target, 'POST', 'auth/token/revoke', { token: firstToken });
    const secondToken = await tokenWithPolicy(target, 'life-file', hcl);
    writeFileSync(file, `${secondToken}\n`, { mode: 0o600 });
    const secrets = app.get(SecretsService);
    await expect(secrets.refresh()).resolves.toMatchObject({ changed: false });
    expect(secrets.get('LIFE_SECRET')).toBe(secret);
    await sleep(150); // past healthCacheMs
    expect((await health(app)).status).toBe(200);

    // The app now holds the second token: revoking it is what takes health down.
    await rootCall(target, 'POST', 'auth/token/revoke', { token: secondToken });
    await sleep(150);
    const down = await health(app);
    expect(down.status).toBe(503);
    expect(down.body.details.vault).toMatchObject({ tokenValid: false });
    await app.close();
    const texts = [...outputs, ...logger.lines].join('\n');
    expect(texts).not.toContain(firstToken);
    expect(texts).not.toContain(secondToken);
  });

  const memoryOnly = kind === 'memory' ? it : it.skip;
  memoryOnly(
    'a rate-limited renewal (429) waits for Retry-After, then renews the same token quietly',
    async () => {
      const creds = await appRoleFor(target, 'life-429', 'token-life', {
        tokenTtl: '6s',
        tokenMaxTtl: '1h',
      });
      target.memory!.resetStats();
      const since = Date.now();
      const app = await boot(creds);
      const fault = target.memory!.faults.inject({
        path: '/v1/auth/token/renew-self',
        status: 429,
        retryAfterS: 1,
        times: 1,
      });
      // The last moment the 429 had certainly not been answered yet: the renewal must come at
      // least Retry-After (1 s) later. A late sample makes this earlier, so load cannot fail it.
      let notLimitedAt = since;
      const watch = setInterval(() => {
        if (fault.hits === 0) notLimitedAt = Date.now();
      }, 10);
      try {
        // First attempt at 3.6–4 s after login, the retry 1 s after the 429.
        const renewed = () => loggedAt(/Vault token renewed/, since).length > 0;
        expect(await eventually(renewed, 6000)).toBe(true);
      } finally {
        clearInterval(watch);
        fault.remove();
      }
      expect(fault.hits).toBe(1);
      const renewedAt = loggedAt(/Vault token renewed/, since)[0];
      expect(renewedAt - notLimitedAt).toBeGreaterThanOrEqual(1000);
      expect(target.memory!.stats().byRoute['POST /v1/auth/token/renew-self']).toBe(2); // 429, then once
      expect(await tokensWithPolicy(target, creds.policy)).toHaveLength(1); // no new login
      expect(loggedAt(/^(warn|error) /, since)).toEqual([]);
      expect((await health(app)).status).toBe(200);
      await app.close();
    },
  );

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
