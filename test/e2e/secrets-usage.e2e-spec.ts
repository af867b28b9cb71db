/**
 * `SecretsService.usage()`: every loaded key with its source and how often the app read it since
 * boot, through SecretsService (get, getOrThrow) and ConfigService.get alike — names and counts,
 * never a value; a key never read shows 0. The documented shutdown snippet prints the unused keys.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { SecretsService, VaultConfigModule } from 'nestjs-vault-config';
import { canary, expectNoCanary } from '../support/canary.js';
import { uniq, writeKv2 } from '../support/contract-helpers.js';
import { selectedTargets, startTarget, type VaultTarget } from '../support/vault-target.js';

/** The snippet of docs/policy.md: at shutdown, the keys the app loaded but never read. */
@Injectable()
class UnusedSecretsReport implements OnApplicationShutdown {
  static lines: string[] = [];
  constructor(private readonly secrets: SecretsService) {}

  onApplicationShutdown(): void {
    const unused = this.secrets.usage().filter(u => u.reads === 0);
    UnusedSecretsReport.lines.push(
      `never read since boot: ${unused.map(u => `${u.key} (${u.source})`).join(', ')}`,
    );
  }
}

describe.each(selectedTargets())('SecretsService.usage() (%s)', kind => {
  let target: VaultTarget;
  let path: string;
  const values = { A: canary('usage-a'), B: canary('usage-b'), C: canary('usage-c') };
  const envValue = canary('usage-env');
  beforeAll(async () => {
    target = await startTarget(kind);
    path = uniq('usage');
    await writeKv2(target, path, values);
    process.env.USAGE_FROM_ENV = envValue;
  });
  afterAll(async () => {
    delete process.env.USAGE_FROM_ENV;
    await target?.stop();
  });

  it('counts reads through both services per key, with its source, and never shows a value', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        VaultConfigModule.forRoot({
          address: target.url,
          auth: { method: 'token', token: target.rootToken },
          sources: [{ mount: 'secret', path }],
          required: ['USAGE_FROM_ENV'],
          defaults: { USAGE_DEFAULT: 'd' },
        }),
      ],
      providers: [UnusedSecretsReport],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const secrets = app.get(SecretsService);
    const config = app.get(ConfigService);
    expect(secrets.usage().every(u => u.reads === 0)).toBe(true);

    expect(secrets.get('A')).toBe(values.A);
    expect(secrets.get('A')).toBe(values.A);
    for (let i = 0; i < 3; i++) expect(config.get('B')).toBe(values.B);
    expect(config.get<string>('USAGE_FROM_ENV')).toBe(envValue);
    expect(secrets.getOrThrow('USAGE_FROM_ENV')).toBe(envValue);
    expect(secrets.get('NOT_LOADED')).toBeUndefined();
    expect(config.get('NOT_LOADED')).toBeUndefined();
    expect(secrets.has('C')).toBe(true); // has() reads no value: not counted

    const usage = secrets.usage();
    const byKey = Object.fromEntries(usage.map(u => [u.key, u]));
    expect(byKey).toEqual({
      A: { key: 'A', source: `vault:secret/${path}`, reads: 2 },
      B: { key: 'B', source: `vault:secret/${path}`, reads: 3 },
      C: { key: 'C', source: `vault:secret/${path}`, reads: 0 },
      USAGE_FROM_ENV: { key: 'USAGE_FROM_ENV', source: 'env:USAGE_FROM_ENV', reads: 2 },
      USAGE_DEFAULT: { key: 'USAGE_DEFAULT', source: 'default', reads: 0 },
    });
    expectNoCanary(
      [JSON.stringify(usage), inspect(usage, { depth: 5 })],
      [...Object.values(values), envValue],
    );

    // A refresh keeps the counts: they run since boot.
    await secrets.refresh();
    expect(secrets.usage().find(u => u.key === 'B')?.reads).toBe(3);

    UnusedSecretsReport.lines = [];
    await app.close();
    expect(UnusedSecretsReport.lines).toEqual([
      `never read since boot: C (vault:secret/${path}), USAGE_DEFAULT (default)`,
    ]);
  });
});
