/**
 * VaultHealthIndicator (nestjs-vault-config/health) in a real Terminus app over HTTP. The cache
 * window is checked on a frozen `Date` (Jest's fake clock, timers and I/O real): inside the window
 * however long the requests take, past it when the date is moved.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
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
import { eventually } from '../support/lifecycle-support.js';
import {
  freezeDate,
  moveDate,
} from '../../libs/vault-config/src/utils/frozen-date.spec-helpers.js';

describe.each(selectedTargets())('VaultHealthIndicator (%s)', kind => {
  let target: VaultTarget;
  const secret = canary('health');
  const logger = new CapturingLogger();
  const bodies: string[] = [];

  beforeAll(async () => {
    target = await startTarget(kind);
    await writeKv2(target, 'module-health/app', { HEALTH_SECRET: secret });
  });
  afterEach(() => void jest.useRealTimers());
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
    const cacheMs = 300;
    const app = await boot({ healthCacheMs: cacheMs });
    try {
      freezeDate(); // sealing takes what it takes: the date says we are still in the window
      const up = await health(app);
      expect(up.status).toBe(200);
      expect(up.body.info.vault).toMatchObject({ status: 'up', sealed: false, initialized: true });
      expect(typeof up.body.info.vault.version).toBe('string');

      expect((await vaultRequest(target, 'PUT', 'sys/seal')).status).toBe(204);
      try {
        // Within healthCacheMs the last answer is reused: no new probe, still up.
        moveDate(cacheMs - 1);
        expect((await health(app)).status).toBe(200);
        moveDate(1);
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
      const cacheMs = 3000;
      const memory = target.memory!;
      memory.resetStats();
      const app = await boot({ healthCacheMs: cacheMs });
      const probes = () => ({
        health: memory.stats().byRoute['GET /v1/sys/health'] ?? 0,
        lookup: memory.stats().byRoute['GET /v1/auth/token/lookup-self'] ?? 0,
      });
      const burst = async () => {
        const answers = await Promise.all(Array.from({ length: 200 }, () => health(app)));
        expect(answers.map(a => a.status)).toEqual(Array(200).fill(200));
      };
      try {
        // The module's own deferred token lookup (1 s after boot) is done before counting.
        expect(await eventually(() => probes().lookup === 1, 10_000)).toBe(true);
        memory.resetStats();
        freezeDate(); // the bursts take what they take: the date says one window
        await burst();
        expect(probes()).toEqual({ health: 1, lookup: 1 });
        moveDate(cacheMs - 1);
        await burst(); // still within the window: answered from the cache
        expect(probes()).toEqual({ health: 1, lookup: 1 });
        moveDate(1);
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
