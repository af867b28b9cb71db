/** VaultHealthIndicator (nestjs-vault-config/health) in a real Terminus app over HTTP. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { VaultConfigModuleSettings } from 'nestjs-vault-config';
import {
  freePort,
  selectedTargets,
  startTarget,
  vaultRequest,
  type VaultTarget,
} from '../support/vault-target.js';
import { bootHealthApp, getHealth } from '../support/health-app.js';
import { CapturingLogger } from '../support/module-support.js';
import { canary, expectNoCanary } from '../support/canary.js';
import { writeKv2 } from '../support/contract-helpers.js';
import { sleep } from '../support/lifecycle-support.js';

describe.each(selectedTargets())('VaultHealthIndicator (%s)', kind => {
  let target: VaultTarget;
  const secret = canary('health');
  const logger = new CapturingLogger();
  const bodies: string[] = [];

  beforeAll(async () => {
    target = await startTarget(kind);
    await writeKv2(target, 'module-health/app', { HEALTH_SECRET: secret });
  });
  afterAll(async () => {
    expectNoCanary([...bodies, ...logger.lines], [secret]);
    await target?.stop();
  });

  const boot = (settings: Partial<VaultConfigModuleSettings>): Promise<INestApplication> =>
    bootHealthApp(
      {
        address: target.url,
        auth: { method: 'token', token: target.rootToken },
        sources: [{ mount: 'secret', path: 'module-health/app' }],
        healthCacheMs: 300,
        healthTimeoutMs: 500,
        ...settings,
      },
      logger,
    );

  const health = (app: INestApplication) => getHealth(app, bodies);

  it('up: 200 with initialized, sealed and version; sealed Vault: 503 down after the cache expires', async () => {
    const cacheMs = 1500; // long enough for sealing a loaded real server within it
    const app = await boot({ healthCacheMs: cacheMs });
    try {
      const probedAt = Date.now();
      const up = await health(app);
      expect(up.status).toBe(200);
      expect(up.body.info.vault).toMatchObject({ status: 'up', sealed: false, initialized: true });
      expect(typeof up.body.info.vault.version).toBe('string');

      expect((await vaultRequest(target, 'PUT', 'sys/seal')).status).toBe(204);
      try {
        // Within healthCacheMs the last answer is reused: no new probe, still up.
        expect((await health(app)).status).toBe(200);
        expect(Date.now() - probedAt).toBeLessThan(cacheMs);
        await sleep(cacheMs + 100 - (Date.now() - probedAt));
        const down = await health(app);
        expect(down.status).toBe(503);
        expect(down.body.error.vault).toMatchObject({ status: 'down', sealed: true });
      } finally {
        const unseal = await vaultRequest(target, 'PUT', 'sys/unseal', { key: target.unsealKey });
        expect(unseal.status).toBe(200);
      }
    } finally {
      await app.close();
    }
  });

  it('unreachable Vault (app booted in fallback mode): 503 down with a safe message, never a throw', async () => {
    const app = await boot({
      address: `http://127.0.0.1:${await freePort()}`,
      onUnavailable: 'fallback',
      retry: { attempts: 1 },
      defaults: { HEALTH_SECRET: 'default' },
    });
    try {
      const down = await health(app);
      expect(down.status).toBe(503);
      expect(down.body.error.vault.status).toBe('down');
      expect(down.body.error.vault.message).toMatch(/ECONNREFUSED/);
    } finally {
      await app.close();
    }
  });

  it('enabled: false: up, says Vault is not used', async () => {
    const app = await boot({ enabled: false, defaults: { HEALTH_SECRET: 'default' } });
    try {
      const res = await health(app);
      expect(res.status).toBe(200);
      expect(res.body.info.vault).toEqual({ status: 'up', enabled: false });
    } finally {
      await app.close();
    }
  });

  const memoryOnly = kind === 'memory' ? it : it.skip;
  memoryOnly(
    '200 concurrent /health requests share one Vault probe per healthCacheMs (request counters)',
    async () => {
      const cacheMs = 3000; // far longer than a burst of 200 requests takes here
      const app = await boot({ healthCacheMs: cacheMs });
      const memory = target.memory!;
      const probes = () => ({
        health: memory.stats().byRoute['GET /v1/sys/health'] ?? 0,
        lookup: memory.stats().byRoute['GET /v1/auth/token/lookup-self'] ?? 0,
      });
      const burst = async () => {
        const started = Date.now();
        const answers = await Promise.all(Array.from({ length: 200 }, () => health(app)));
        expect(answers.map(a => a.status)).toEqual(Array(200).fill(200));
        expect(Date.now() - started).toBeLessThan(cacheMs); // one window, or the count means less
      };
      try {
        await sleep(1200); // after the module's own deferred token lookup (1 s after boot)
        memory.resetStats();
        await burst();
        expect(probes()).toEqual({ health: 1, lookup: 1 });
        await burst(); // still within the window: answered from the cache
        expect(probes()).toEqual({ health: 1, lookup: 1 });
        await sleep(cacheMs + 100);
        await burst();
        expect(probes()).toEqual({ health: 2, lookup: 2 });
        expect(memory.stats().total).toBe(4);
      } finally {
        await app.close();
      }
    },
  );
  memoryOnly(
    'a probe slower than healthTimeoutMs is down with a timeout message (fault injection)',
    async () => {
      const app = await boot({ healthTimeoutMs: 100 });
      const fault = target.memory!.faults.inject({ path: '/v1/sys/health', latencyMs: 400 });
      try {
        const down = await health(app);
        expect(down.status).toBe(503);
        expect(down.body.error.vault.message).toMatch(/timeout of 100ms/);
      } finally {
        fault.remove();
        await app.close();
      }
    },
  );
});
