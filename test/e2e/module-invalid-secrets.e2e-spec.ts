/**
 * A value that breaks the `schema` fails the start with InvalidSecretsError (not "missing"): each key
 * with the rules it failed and the source its value came from (a Vault path, an environment variable,
 * defaults), never the value. A missing required key still wins (one MissingSecretsError naming both
 * kinds), and a refresh whose values break the schema is refused with the same error.
 */
import 'reflect-metadata';
import { afterEach, beforeAll, afterAll, describe, expect, it } from '@jest/globals';
import { Module, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsInt, IsString, Matches, Max, MinLength } from 'class-validator';
import {
  InvalidSecretsError,
  MissingSecretsError,
  SecretsService,
  VaultConfigError,
  VaultConfigModule,
  type VaultConfigOptions,
} from 'nestjs-vault-config';
import { selectedTargets, startTarget, type VaultTarget } from '../support/vault-target.js';
import { CapturingLogger, renderError } from '../support/module-support.js';
import { expectNoCanary, plantedCanaries } from '../support/canary.js';
import { uniq, writeKv2 } from '../support/contract-helpers.js';

class InvalidSecrets {
  // A custom message that quotes the value: the library must not use it.
  @IsString()
  @Matches(/^postgres:\/\//, { message: 'INV_DATABASE_URL is not postgres: $value' })
  INV_DATABASE_URL!: string;
  @IsString() @MinLength(64) INV_JWT_SECRET!: string;
  @IsInt() @Max(65535) INV_PORT!: number;
}

describe.each(selectedTargets())('schema failures through VaultConfigModule (%s)', kind => {
  let target: VaultTarget;
  const logger = new CapturingLogger();
  const outputs: string[] = [];
  const { canaries, fresh } = plantedCanaries();

  beforeAll(async () => {
    target = await startTarget(kind);
  });
  afterEach(() => {
    delete process.env.INV_JWT_SECRET;
  });
  afterAll(async () => {
    expectNoCanary([...outputs, ...logger.lines], canaries);
    await target?.stop();
  });

  const options = (path: string, extra: Partial<VaultConfigOptions> = {}): VaultConfigOptions => ({
    address: target.url,
    auth: { method: 'token', token: target.rootToken },
    sources: [{ mount: 'secret', path }],
    schema: InvalidSecrets,
    ...extra,
  });

  const appModule = (settings: VaultConfigOptions): Type<unknown> => {
    @Module({ imports: [VaultConfigModule.forRoot(settings)] })
    class AppModule {}
    return AppModule;
  };

  async function bootError(settings: VaultConfigOptions): Promise<unknown> {
    const error = await Test.createTestingModule({ imports: [appModule(settings)] })
      .setLogger(logger)
      .compile()
      .then(
        async moduleRef => {
          await moduleRef.close();
          return undefined;
        },
        (e: unknown) => e,
      );
    outputs.push(...renderError(error));
    return error;
  }

  it('every key present, two values invalid: InvalidSecretsError naming key, rule and source', async () => {
    const path = uniq('module-inv/app');
    await writeKv2(target, path, {
      INV_DATABASE_URL: `mysql://${fresh('vault-url')}@db/billing`,
      INV_PORT: '8080',
    });
    process.env.INV_JWT_SECRET = fresh('env-jwt');
    const error = await bootError(options(path, { defaults: { INV_PORT: 99999 } }));
    // The Vault value of INV_PORT wins over the default: only the two bad values are named…
    expect(error).toBeInstanceOf(InvalidSecretsError);
    expect(error).toBeInstanceOf(VaultConfigError);
    expect(error).not.toBeInstanceOf(MissingSecretsError);
    const invalid = error as InvalidSecretsError;
    expect(invalid.code).toBe('VAULT_INVALID_SECRETS');
    expect(invalid.invalid).toEqual([
      {
        key: 'INV_DATABASE_URL',
        constraints: ['matches'],
        source: `secret/${path} (kv2 version 1)`,
      },
      { key: 'INV_JWT_SECRET', constraints: ['minLength'], source: 'env INV_JWT_SECRET' },
    ]);
    expect(invalid.message).toBe(
      '2 secret(s) failed schema validation: ' +
        `INV_DATABASE_URL failed matches (value from secret/${path} (kv2 version 1)); ` +
        'INV_JWT_SECRET failed minLength (value from env INV_JWT_SECRET). Fix each value where ' +
        'it comes from (the Vault path, the environment variable or defaults), or the rule in ' +
        'the schema class. Values are never shown.',
    );
    expect(invalid.message).not.toMatch(/missing|Add them to Vault|not postgres/);
    expect(logger.lines.join('\n')).not.toContain('not postgres');
    expectNoCanary([...renderError(error), ...logger.lines], canaries);
  });

  it('a bad default is named as coming from defaults', async () => {
    const path = uniq('module-inv/app');
    await writeKv2(target, path, { INV_DATABASE_URL: 'postgres://db/billing' });
    process.env.INV_JWT_SECRET = 'j'.repeat(64);
    const error = await bootError(options(path, { defaults: { INV_PORT: 99999 } }));
    expect(error).toBeInstanceOf(InvalidSecretsError);
    expect((error as InvalidSecretsError).invalid).toEqual([
      { key: 'INV_PORT', constraints: ['max'], source: 'defaults' },
    ]);
    expect((error as Error).message).toContain('INV_PORT failed max (value from defaults)');
  });

  it('missing and invalid together: one MissingSecretsError naming both kinds', async () => {
    const path = uniq('module-inv/app');
    await writeKv2(target, path, {
      INV_DATABASE_URL: fresh('not-a-url'),
      INV_JWT_SECRET: 'j'.repeat(64),
    });
    const error = await bootError(options(path));
    expect(error).toBeInstanceOf(MissingSecretsError);
    const both = error as MissingSecretsError;
    expect(both.missing.map(m => m.key)).toEqual(['INV_PORT']);
    expect(both.invalid).toEqual([
      {
        key: 'INV_DATABASE_URL',
        constraints: ['matches'],
        source: `secret/${path} (kv2 version 1)`,
      },
    ]);
    expect(both.message).toContain('1 required secret(s) missing: INV_PORT (looked in');
    expect(both.message).toContain(
      'Also, 1 secret(s) failed schema validation: INV_DATABASE_URL failed matches',
    );
  });

  it('a refresh whose values break the schema is refused with InvalidSecretsError; old values kept', async () => {
    const path = uniq('module-inv/app');
    const good = `postgres://${fresh('good')}@db/billing`;
    await writeKv2(target, path, {
      INV_DATABASE_URL: good,
      INV_JWT_SECRET: 'j'.repeat(64),
      INV_PORT: '8080',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [appModule(options(path, { refresh: { intervalMs: 3_600_000 } }))],
    })
      .setLogger(logger)
      .compile();
    const secrets = moduleRef.get(SecretsService);
    await writeKv2(target, path, {
      INV_DATABASE_URL: good,
      INV_JWT_SECRET: 'j'.repeat(64),
      INV_PORT: fresh('port'),
    });
    const error = await secrets.refresh().catch((e: unknown) => e);
    outputs.push(...renderError(error));
    expect(error).toBeInstanceOf(InvalidSecretsError);
    const [only, ...others] = (error as InvalidSecretsError).invalid;
    expect(others).toEqual([]);
    expect(only.key).toBe('INV_PORT');
    expect(only.constraints.sort()).toEqual(['isInt', 'max']);
    expect(only.source).toBe(`secret/${path} (kv2 version 2)`);
    expect(secrets.get('INV_PORT')).toBe(8080);
    expect(secrets.get('INV_DATABASE_URL')).toBe(good);
    await moduleRef.close();
  });
});
