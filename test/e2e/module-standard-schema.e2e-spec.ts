/**
 * `schema` takes a Standard Schema (Zod 4, Valibot 1) as well as a class-validator class, on the
 * in-memory server and on OpenBao: the schema's coercions are what ConfigService and SecretsService
 * serve; an async schema works at boot; a bad value fails the start with InvalidSecretsError (key,
 * rule, source — never the value, though Valibot's own messages quote it); a refresh whose values
 * fail the schema is refused and the last good values stay.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import {
  InvalidSecretsError,
  MissingSecretsError,
  SecretsService,
  VaultConfigModule,
  type SecretsOf,
  type VaultConfigModuleSettings,
} from 'nestjs-vault-config';
import * as v from 'valibot';
import { z } from 'zod';
import { selectedTargets, startTarget, type VaultTarget } from '../support/vault-target.js';
import { CapturingLogger, renderError } from '../support/module-support.js';
import { expectNoCanary, plantedCanaries } from '../support/canary.js';
import { uniq, writeKv2 } from '../support/contract-helpers.js';

const zodSchema = z.object({
  STD_PORT: z.coerce.number().int().min(1024),
  STD_DATABASE_URL: z.url(),
  STD_DEBUG: z.stringbool().optional(),
});

const valibotSchema = v.object({
  STD_PORT: v.pipe(v.string(), v.transform(Number), v.number(), v.integer(), v.minValue(1024)),
  STD_DATABASE_URL: v.pipe(v.string(), v.url()),
  STD_DEBUG: v.optional(
    v.pipe(
      v.string(),
      v.transform(s => s === 'true'),
    ),
  ),
});

/** An async Standard Schema: its `validate` returns a Promise. */
const asyncSchema = v.objectAsync({
  STD_PORT: v.pipe(v.string(), v.transform(Number), v.number()),
  STD_DATABASE_URL: v.pipeAsync(
    v.string(),
    v.checkAsync(async s => Promise.resolve(s.startsWith('postgres://')), 'not a postgres URL'),
  ),
});

const schemas = [
  ['Zod', zodSchema, 'Invalid URL'],
  ['Valibot', valibotSchema, 'Invalid URL'],
] as const;

describe.each(selectedTargets())('Standard Schema secrets (%s)', kind => {
  let target: VaultTarget;
  const logger = new CapturingLogger();
  const outputs: string[] = [];
  const { canaries, fresh } = plantedCanaries();
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    target = await startTarget(kind);
  });
  afterEach(async () => {
    delete process.env.STD_DEBUG;
    for (const app of apps.splice(0)) await app.close();
  });
  afterAll(async () => {
    expectNoCanary([...outputs, ...logger.lines], canaries);
    await target?.stop();
  });

  const settings = (
    path: string,
    extra: Partial<VaultConfigModuleSettings>,
  ): VaultConfigModuleSettings => ({
    address: target.url,
    auth: { method: 'token', token: target.rootToken },
    sources: [{ mount: 'secret', path }],
    refresh: { intervalMs: 3_600_000 },
    ...extra,
  });

  async function boot(options: VaultConfigModuleSettings): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      imports: [VaultConfigModule.forRoot(options)],
    })
      .setLogger(logger)
      .compile();
    const app = moduleRef.createNestApplication({ logger });
    await app.init();
    apps.push(app);
    return app;
  }

  async function bootError(options: VaultConfigModuleSettings): Promise<unknown> {
    const error = await boot(options).then(
      () => undefined,
      (e: unknown) => e,
    );
    outputs.push(...renderError(error));
    return error;
  }

  it.each(schemas)(
    '%s: validates, coerces (ConfigService and SecretsService), declares its keys for the env fallback',
    async (_name, schema, _rule) => {
      const path = uniq('std/ok');
      const url = `postgres://app:${fresh('pw')}@db/app`;
      await writeKv2(target, path, { STD_PORT: '8080', STD_DATABASE_URL: url });
      process.env.STD_DEBUG = 'true'; // only the schema names STD_DEBUG
      const app = await boot(settings(path, { schema }));
      const secrets = app.get<SecretsService<SecretsOf<typeof zodSchema>>>(SecretsService);
      const port: number | undefined = secrets.get('STD_PORT');
      expect(port).toBe(8080);
      expect(secrets.get('STD_DEBUG')).toBe(true);
      expect(secrets.get('STD_DATABASE_URL')).toBe(url);
      expect(app.get(ConfigService).get('STD_PORT')).toBe(8080);
      expect(app.get(ConfigService).get('STD_DEBUG')).toBe(true);
    },
  );

  it.each(schemas)(
    '%s: a bad value fails the start with key, rule and source, never the value',
    async (_name, schema, rule) => {
      const path = uniq('std/bad');
      await writeKv2(target, path, { STD_PORT: '8080', STD_DATABASE_URL: fresh('not-a-url') });
      const error = await bootError(settings(path, { schema }));
      expect(error).toBeInstanceOf(InvalidSecretsError);
      expect((error as InvalidSecretsError).invalid).toEqual([
        { key: 'STD_DATABASE_URL', constraints: [rule], source: `secret/${path} (kv2 version 1)` },
      ]);
      expect((error as Error).message).toContain(`STD_DATABASE_URL failed ${rule}`);
      expectNoCanary([...renderError(error), ...logger.lines], canaries);
    },
  );

  it('Valibot: a rule whose own message quotes the value (Received "...") is reported without it', async () => {
    const path = uniq('std/quoted');
    const mode = fresh('mode');
    await writeKv2(target, path, { STD_MODE: mode });
    const schema = v.object({ STD_MODE: v.picklist(['blue', 'green']) });
    const error = await bootError(settings(path, { schema }));
    expect(error).toBeInstanceOf(InvalidSecretsError);
    expect((error as InvalidSecretsError).invalid[0]).toMatchObject({
      key: 'STD_MODE',
      constraints: ['Invalid type: Expected ("blue" | "green")'],
    });
    expectNoCanary(renderError(error), [mode]);
  });

  it('Zod: a key the schema requires and no source has is missing, not invalid', async () => {
    const path = uniq('std/missing');
    await writeKv2(target, path, { STD_DATABASE_URL: 'postgres://db/app' });
    const error = await bootError(settings(path, { schema: zodSchema }));
    expect(error).toBeInstanceOf(MissingSecretsError);
    expect((error as Error).message).toContain('STD_PORT');
  });

  it('an async schema (validate returns a Promise) validates at boot, and fails at boot', async () => {
    const path = uniq('std/async');
    await writeKv2(target, path, { STD_PORT: '5432', STD_DATABASE_URL: 'postgres://db/app' });
    const app = await boot(settings(path, { schema: asyncSchema }));
    expect(app.get(SecretsService).get('STD_PORT')).toBe(5432);
    const badPath = uniq('std/async-bad');
    await writeKv2(target, badPath, { STD_PORT: '1', STD_DATABASE_URL: fresh('mysql') });
    const error = await bootError(settings(badPath, { schema: asyncSchema }));
    expect(error).toBeInstanceOf(InvalidSecretsError);
    expect((error as InvalidSecretsError).invalid).toEqual([
      expect.objectContaining({ key: 'STD_DATABASE_URL', constraints: ['not a postgres URL'] }),
    ]);
  });

  it('a refresh whose values fail the schema is refused; the last good values stay', async () => {
    const path = uniq('std/refresh');
    await writeKv2(target, path, { STD_PORT: '8080', STD_DATABASE_URL: 'postgres://db/app' });
    const app = await boot(settings(path, { schema: zodSchema }));
    const secrets = app.get(SecretsService);
    await writeKv2(target, path, { STD_PORT: fresh('port'), STD_DATABASE_URL: 'postgres://db/b' });
    const error = await secrets.refresh().catch((e: unknown) => e);
    outputs.push(...renderError(error));
    expect(error).toBeInstanceOf(InvalidSecretsError);
    expect((error as InvalidSecretsError).invalid.map(i => i.key)).toEqual(['STD_PORT']);
    expect(secrets.get('STD_PORT')).toBe(8080);
    expect(app.get(ConfigService).get('STD_DATABASE_URL')).toBe('postgres://db/app');
  });
});
