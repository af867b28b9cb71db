/**
 * `ConfigService.changes$` (@nestjs/config 12) hears every refresh that rotates a secret, on the
 * in-memory server and on OpenBao: one `{ path, oldValue, newValue }` per changed key, in key order,
 * emitted once every new value is readable through `get`; removed keys too; nothing when nothing
 * changed. The values stay out of logs and of `onSecretsChanged` events (which carry none).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { ConfigService, type ConfigChangeEvent } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import {
  SecretsService,
  VaultConfigModule,
  type SecretsChangedEvent,
  type VaultConfigModuleSettings,
} from 'nestjs-vault-config';
import { inspect } from 'node:util';
import { z } from 'zod';
import { selectedTargets, startTarget, type VaultTarget } from '../support/vault-target.js';
import { CapturingLogger } from '../support/module-support.js';
import { expectNoCanary, plantedCanaries } from '../support/canary.js';
import { uniq, writeKv2 } from '../support/contract-helpers.js';

describe.each(selectedTargets())('ConfigService.changes$ on refresh (%s)', kind => {
  let target: VaultTarget;
  const logger = new CapturingLogger();
  const { canaries, fresh } = plantedCanaries();
  const outputs: string[] = [];

  beforeAll(async () => {
    target = await startTarget(kind);
  });
  afterAll(async () => {
    expectNoCanary([...outputs, ...logger.lines], canaries);
    await target?.stop();
  });

  async function boot(settings: Partial<VaultConfigModuleSettings>): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        VaultConfigModule.forRoot({
          address: target.url,
          auth: { method: 'token', token: target.rootToken },
          envFallback: false,
          refresh: { intervalMs: 3_600_000 },
          ...settings,
        }),
      ],
    })
      .setLogger(logger)
      .compile();
    const app = moduleRef.createNestApplication({ logger });
    await app.init();
    return app;
  }

  /** Every event, and what `get` answered for each key at the moment it came. */
  function listen(config: ConfigService, keys: string[]) {
    const events: ConfigChangeEvent[] = [];
    const readable: Record<string, unknown>[] = [];
    config.changes$.subscribe(event => {
      events.push(event);
      readable.push(Object.fromEntries(keys.map(k => [k, config.get<unknown>(k)])));
    });
    return { events, readable };
  }

  it('a rotation: one event per changed key, in key order, values readable; none when nothing changed', async () => {
    const path = uniq('changes/app');
    const [b1, b2, a1, a2, gone] = ['b1', 'b2', 'a1', 'a2', 'gone'].map(fresh);
    await writeKv2(target, path, { B_TOKEN: b1, A_KEY: a1, SAME: 'same', GONE_KEY: gone });
    const app = await boot({ sources: [{ mount: 'secret', path }] });
    try {
      const config = app.get(ConfigService);
      const secrets = app.get(SecretsService);
      const keys = ['A_KEY', 'B_TOKEN', 'GONE_KEY', 'SAME'];
      const { events, readable } = listen(config, keys);
      const changed: SecretsChangedEvent[] = [];
      secrets.onSecretsChanged(e => changed.push(e));

      await expect(secrets.refresh()).resolves.toMatchObject({ changed: false });
      expect(events).toEqual([]);

      await writeKv2(target, path, { SAME: 'same', B_TOKEN: b2, A_KEY: a2 });
      await secrets.refresh();
      expect(events).toEqual([
        { path: 'A_KEY', oldValue: a1, newValue: a2 },
        { path: 'B_TOKEN', oldValue: b1, newValue: b2 },
        { path: 'GONE_KEY', oldValue: gone, newValue: undefined },
      ]);
      const after = { A_KEY: a2, B_TOKEN: b2, GONE_KEY: undefined, SAME: 'same' };
      expect(readable).toEqual([after, after, after]);

      // A new KV version with the same values swaps the snapshot, but no value changed.
      await writeKv2(target, path, { SAME: 'same', B_TOKEN: b2, A_KEY: a2 });
      await secrets.refresh();
      expect(events).toHaveLength(3);

      expect(changed).toHaveLength(1);
      outputs.push(JSON.stringify(changed), inspect(changed, { depth: 5 }));
    } finally {
      await app.close();
    }
  });

  it('values converted by the schema are what the events carry', async () => {
    const path = uniq('changes/typed');
    await writeKv2(target, path, { PORT: '8080' });
    const schema = z.object({ PORT: z.coerce.number() });
    const app = await boot({ sources: [{ mount: 'secret', path }], schema });
    try {
      const { events } = listen(app.get(ConfigService), []);
      await writeKv2(target, path, { PORT: '9090' });
      await app.get(SecretsService).refresh();
      expect(events).toEqual([{ path: 'PORT', oldValue: 8080, newValue: 9090 }]);
    } finally {
      await app.close();
    }
  });
});
