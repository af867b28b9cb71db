/**
 * Live refresh of VaultConfigModule on real HTTP, against the in-memory server and (CI) OpenBao:
 * a rotated secret reaches ConfigService, SecretsService and a change event without a restart;
 * nothing changed → no event; a sealed Vault → last known good values, one warning per failure
 * streak, health down once stale, recovery after unseal; a refresh that breaks `required` is
 * refused. Canary values never reach logs, events or health bodies.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Inject, Injectable, type INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  MissingSecretsError,
  SecretsService,
  VaultUnavailableError,
  type SecretsChangedEvent,
  type VaultConfigModuleSettings,
} from 'nestjs-vault-config';
import { inspect } from 'node:util';
import {
  selectedTargets,
  startTarget,
  vaultRequest,
  type VaultTarget,
} from '../support/vault-target.js';
import { bootHealthApp, getHealth } from '../support/health-app.js';
import { eventually, sleep, tokenWithPolicy } from '../support/lifecycle-support.js';
import { CapturingLogger, renderError } from '../support/module-support.js';
import { expectNoCanary, plantedCanaries } from '../support/canary.js';
import { writeKv2 } from '../support/contract-helpers.js';

/** A consumer that keeps the ConfigService it was given at boot, as app services do. */
@Injectable()
class PaymentsClient {
  constructor(@Inject(ConfigService) private readonly config: ConfigService) {}
  apiKey(): string | undefined {
    return this.config.get<string>('PAYMENTS_KEY');
  }
}

describe.each(selectedTargets())('live refresh (%s)', kind => {
  let target: VaultTarget;
  let token: string;
  const logger = new CapturingLogger();
  const outputs: string[] = [];
  const { canaries, fresh } = plantedCanaries();
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    target = await startTarget(kind);
    token = await tokenWithPolicy(
      target,
      'refresh-app',
      'path "secret/data/refresh/*" { capabilities = ["read"] }\n' +
        'path "secret/metadata/refresh/*" { capabilities = ["read"] }\n',
    );
  });
  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    expectNoCanary([...outputs, ...logger.lines], canaries);
    await target?.stop();
  });

  async function boot(
    path: string,
    settings: Partial<VaultConfigModuleSettings> = {},
  ): Promise<INestApplication> {
    const app = await bootHealthApp(
      {
        address: target.url,
        auth: { method: 'token', token },
        sources: [{ mount: 'secret', path }],
        healthCacheMs: 100,
        envFallback: false,
        ...settings,
      },
      logger,
      [PaymentsClient],
    );
    apps.push(app);
    return app;
  }

  const health = (app: INestApplication) => getHealth(app, outputs);

  it('refresh(): a rotated secret reaches SecretsService, ConfigService and listeners — no values in the event', async () => {
    const [v1, v2] = [fresh('rot-v1'), fresh('rot-v2')];
    await writeKv2(target, 'refresh/rotate', { PAYMENTS_KEY: v1, OTHER: 'same' });
    const app = await boot('refresh/rotate', { refresh: { intervalMs: 3_600_000 } });
    const secrets = app.get(SecretsService);
    const payments = app.get(PaymentsClient);
    const events: SecretsChangedEvent[] = [];
    const seenInListener: Array<string | undefined> = [];
    secrets.onSecretsChanged(event => {
      events.push(event);
      seenInListener.push(payments.apiKey());
    });
    expect(payments.apiKey()).toBe(v1);

    await expect(secrets.refresh()).resolves.toMatchObject({ changed: false, changes: [] });
    expect(events).toHaveLength(0);

    await writeKv2(target, 'refresh/rotate', { PAYMENTS_KEY: v2, OTHER: 'same' });
    const result = await secrets.refresh();
    expect(result.changes).toEqual([
      {
        key: 'PAYMENTS_KEY',
        change: 'updated',
        source: 'vault',
        mount: 'secret',
        path: 'refresh/rotate',
        previousVersion: 1,
        version: 2,
      },
    ]);
    expect(secrets.get('PAYMENTS_KEY')).toBe(v2);
    expect(app.get(ConfigService).get('PAYMENTS_KEY')).toBe(v2);
    expect(payments.apiKey()).toBe(v2);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ reason: 'refresh', changes: result.changes });
    expect(seenInListener).toEqual([v2]); // values are in place before listeners run
    expect(process.env.PAYMENTS_KEY).toBeUndefined(); // never copied into the environment
    outputs.push(JSON.stringify(events), inspect(events, { depth: 5 }), JSON.stringify(result));
    outputs.push(inspect(app.get(ConfigService)), inspect(secrets), JSON.stringify(secrets));
    await app.close();
  });

  it('a scheduled refresh picks up a rotation by itself; unsubscribed listeners are not called', async () => {
    const [v1, v2] = [fresh('sched-v1'), fresh('sched-v2')];
    await writeKv2(target, 'refresh/scheduled', { PAYMENTS_KEY: v1 });
    const app = await boot('refresh/scheduled', { refresh: { intervalMs: 200 } });
    const secrets = app.get(SecretsService);
    const calls: string[] = [];
    secrets.onSecretsChanged(e => calls.push(e.changes.map(c => c.key).join()));
    const unsubscribe = secrets.onSecretsChanged(() => calls.push('unsubscribed'));
    unsubscribe();
    await writeKv2(target, 'refresh/scheduled', { PAYMENTS_KEY: v2 });
    expect(await eventually(() => app.get(PaymentsClient).apiKey() === v2, 3000)).toBe(true);
    expect(calls).toEqual(['PAYMENTS_KEY']);
    await app.close();
  });

  it('Vault sealed: last known good values, one warning per streak, health down once stale, recovery after unseal', async () => {
    const v1 = fresh('lkg');
    await writeKv2(target, 'refresh/lkg', { PAYMENTS_KEY: v1 });
    const app = await boot('refresh/lkg', {
      refresh: { intervalMs: 100, jitter: 0, maxBackoffMs: 200 },
      healthMaxStalenessMs: 400,
      retry: { attempts: 1 },
    });
    const secrets = app.get(SecretsService);
    expect((await health(app)).status).toBe(200);
    const warningsBefore = logger.lines.filter(l => /refresh failed/.test(l)).length;
    expect((await vaultRequest(target, 'PUT', 'sys/seal')).status).toBe(204);
    let unsealed: boolean;
    try {
      const error = await secrets.refresh().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VaultUnavailableError);
      outputs.push(...renderError(error));
      expect(secrets.get('PAYMENTS_KEY')).toBe(v1);
      expect(app.get(PaymentsClient).apiKey()).toBe(v1);
      await sleep(900); // several failed scheduled refreshes, older than the 400 ms staleness
      const down = await health(app);
      expect(down.status).toBe(503);
      expect(down.body.details.vault).toMatchObject({
        status: 'down',
        sealed: true,
        stale: true,
        lastError: { error: 'VaultUnavailableError', during: 'refresh' },
      });
      expect(down.body.details.vault.lastRefreshAgeMs).toBeGreaterThan(400);
      const warnings = logger.lines.filter(l => /refresh failed/.test(l)).length;
      expect(warnings - warningsBefore).toBe(1); // one per streak, not one per attempt
    } finally {
      const res = await vaultRequest(target, 'PUT', 'sys/unseal', { key: target.unsealKey });
      unsealed = res.status === 200;
    }
    expect(unsealed).toBe(true);
    expect(
      await eventually(async () => {
        const res = await health(app);
        return res.status === 200 && res.body.details.vault.lastError === undefined;
      }, 10_000),
    ).toBe(true);
    expect(logger.lines.some(l => /refresh recovered after \d+ failed attempt/.test(l))).toBe(true);
    expect(secrets.get('PAYMENTS_KEY')).toBe(v1);
    await app.close();
  });

  it('a refresh that would lose a required key is refused: MissingSecretsError, old values kept', async () => {
    const v1 = fresh('req');
    await writeKv2(target, 'refresh/required', { PAYMENTS_KEY: v1 });
    const app = await boot('refresh/required', {
      refresh: { intervalMs: 3_600_000 },
      required: ['PAYMENTS_KEY'],
    });
    const secrets = app.get(SecretsService);
    await writeKv2(target, 'refresh/required', { SOMETHING_ELSE: 'x' });
    const error = await secrets.refresh().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingSecretsError);
    expect((error as MissingSecretsError).missing.map(m => m.key)).toEqual(['PAYMENTS_KEY']);
    outputs.push(...renderError(error));
    expect(secrets.get('PAYMENTS_KEY')).toBe(v1);
    expect(app.get(ConfigService).get('PAYMENTS_KEY')).toBe(v1);
    await app.close();
  });

  it('useMetadata: an unchanged path costs one metadata read; a change is still picked up', async () => {
    const [v1, v2] = [fresh('meta-v1'), fresh('meta-v2')];
    await writeKv2(target, 'refresh/meta', { PAYMENTS_KEY: v1 });
    const app = await boot('refresh/meta', {
      refresh: { intervalMs: 3_600_000, useMetadata: true },
    });
    const secrets = app.get(SecretsService);
    const memory = target.memory;
    await sleep(100); // let the token lifecycle's first lookup-self pass
    memory?.resetStats();
    await expect(secrets.refresh()).resolves.toMatchObject({ changed: false });
    if (memory) {
      expect(memory.stats().byRoute).toMatchObject({ 'GET /v1/secret/metadata/refresh/meta': 1 });
      expect(memory.stats().byRoute['GET /v1/secret/data/refresh/meta']).toBeUndefined();
    }
    await writeKv2(target, 'refresh/meta', { PAYMENTS_KEY: v2 });
    await expect(secrets.refresh()).resolves.toMatchObject({ changed: true });
    expect(secrets.get('PAYMENTS_KEY')).toBe(v2);
    await app.close();
  });

  // Fault injection is a test-server feature.
  const memoryOnly = kind === 'memory' ? it : it.skip;

  memoryOnly(
    'booted in fallback while Vault was down: the first refresh that reaches Vault switches to it',
    async () => {
      const memory = target.memory!;
      const v1 = fresh('fallback');
      await writeKv2(target, 'refresh/fallback', { PAYMENTS_KEY: v1 });
      const outage = memory.faults.inject({ path: '/v1/*', status: 503 });
      let app: INestApplication;
      try {
        app = await boot('refresh/fallback', {
          refresh: { intervalMs: 3_600_000 },
          onUnavailable: 'fallback',
          retry: { attempts: 1 },
          defaults: { PAYMENTS_KEY: 'from-defaults' },
        });
        const secrets = app.get(SecretsService);
        expect(secrets.summary.mode).toBe('fallback');
        expect(secrets.get('PAYMENTS_KEY')).toBe('from-defaults');
        await expect(secrets.refresh()).rejects.toBeInstanceOf(VaultUnavailableError);
      } finally {
        outage.remove();
      }
      const secrets = app.get(SecretsService);
      const result = await secrets.refresh();
      expect(result.changes).toEqual([
        expect.objectContaining({ key: 'PAYMENTS_KEY', change: 'updated', source: 'vault' }),
      ]);
      expect(secrets.summary.mode).toBe('vault');
      expect(app.get(PaymentsClient).apiKey()).toBe(v1);
      await app.close();
    },
  );

  it('with enabled: false a refresh reads nothing and changes nothing', async () => {
    const app = await boot('refresh/unused', {
      enabled: false,
      refresh: { intervalMs: 3_600_000 },
      defaults: { PAYMENTS_KEY: 'local' },
    });
    await expect(app.get(SecretsService).refresh()).resolves.toEqual({
      changed: false,
      changes: [],
      durationMs: 0,
    });
    await app.close();
  });
});
