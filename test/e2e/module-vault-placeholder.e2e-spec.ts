/**
 * An app whose `.env` went through `vault-config migrate` holds `[VAULT]` placeholders. When Vault
 * does not provide such a key, the start says so by name, never with an unrelated-looking error:
 * - a required (or schema-required) key → MissingSecretsError naming the placeholder and the Vault
 *   sources the value must be in;
 * - NODE_ENV (the `{env}` of a source path) → VaultConfigOptionsError: NODE_ENV must be a real value;
 * - any other key → the app starts, with one warning line naming the key.
 * The `.env` is loaded as a Nest app loads it (`ConfigModule.forRoot({ envFilePath })`); no value
 * from it or from Vault shows up in an error or a log line.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigModule } from '@nestjs/config';
import { Test, type TestingModule } from '@nestjs/testing';
import { IsString } from 'class-validator';
import {
  MissingSecretsError,
  SecretsService,
  VaultConfigModule,
  VaultConfigOptionsError,
  type VaultConfigOptions,
} from 'nestjs-vault-config';
import { selectedTargets, startTarget, type VaultTarget } from '../support/vault-target.js';
import { CapturingLogger, renderError } from '../support/module-support.js';
import { canary, expectNoCanary } from '../support/canary.js';
import { uniq, writeKv2 } from '../support/contract-helpers.js';

class PlaceholderSchema {
  @IsString() PH_JWT_SECRET!: string;
}

const PLACEHOLDER_LINE = /\[VAULT\] placeholder/;

describe.each(selectedTargets())('[VAULT] placeholders left by migrate (%s)', kind => {
  let target: VaultTarget;
  let dir: string;
  const nodeEnv = process.env.NODE_ENV;
  const loaded = new Set<string>();
  const open: TestingModule[] = [];
  const outputs: string[] = [];
  const plain = canary('ph-plain'); // a value migrate left in the file
  const fromVault = canary('ph-vault');

  beforeAll(async () => {
    target = await startTarget(kind);
    dir = mkdtempSync(join(tmpdir(), 'module-ph-'));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map(m => m.close()));
    for (const name of loaded) delete process.env[name];
    loaded.clear();
    process.env.NODE_ENV = nodeEnv;
  });
  afterAll(async () => {
    expectNoCanary(outputs, [plain, fromVault]);
    rmSync(dir, { recursive: true, force: true });
    await target?.stop();
  });

  /** Writes `.env` as migrate leaves it and compiles an app that loads it with ConfigModule. */
  async function compile(
    dotenv: Record<string, string>,
    options: VaultConfigOptions,
    logger: CapturingLogger,
  ): Promise<TestingModule | { error: unknown }> {
    const envFile = join(dir, `${uniq('env')}.env`);
    writeFileSync(
      envFile,
      Object.entries(dotenv)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
    for (const name of Object.keys(dotenv)) loaded.add(name);
    const result = await Test.createTestingModule({
      imports: [
        await ConfigModule.forRoot({ envFilePath: envFile }),
        VaultConfigModule.forRoot(options),
      ],
    })
      .setLogger(logger)
      .compile()
      .then(
        moduleRef => {
          open.push(moduleRef);
          return moduleRef;
        },
        (error: unknown) => ({ error }),
      );
    outputs.push(...logger.lines);
    if ('error' in result) outputs.push(...renderError(result.error));
    return result;
  }

  const options = (path: string, extra: Partial<VaultConfigOptions> = {}): VaultConfigOptions => ({
    address: target.url,
    auth: { method: 'token', token: target.rootToken },
    env: 'test',
    sources: [{ mount: 'secret', path }],
    ...extra,
  });

  it('a required key whose .env value is [VAULT] and that Vault lacks: MissingSecretsError names the placeholder and the sources', async () => {
    const path = uniq('module-ph/app');
    await writeKv2(target, path, { PH_MOVED: fromVault });
    const logger = new CapturingLogger();
    const result = await compile(
      { PH_DB_PASSWORD: '[VAULT]', PH_MOVED: '[VAULT]', PH_PLAIN: plain },
      options(path, { required: ['PH_DB_PASSWORD', 'PH_MOVED'] }),
      logger,
    );
    expect('error' in result).toBe(true);
    const { error } = result as { error: unknown };
    expect(error).toBeInstanceOf(MissingSecretsError);
    const missing = (error as MissingSecretsError).missing;
    expect(missing).toEqual([
      {
        key: 'PH_DB_PASSWORD',
        lookedIn: [`secret/${path} (kv2)`, 'env PH_DB_PASSWORD'],
        placeholderIn: 'PH_DB_PASSWORD',
      },
    ]);
    expect((error as Error).message).toBe(
      `1 required secret(s) missing: PH_DB_PASSWORD (looked in secret/${path} (kv2), env ` +
        'PH_DB_PASSWORD): env PH_DB_PASSWORD holds the [VAULT] placeholder left by vault-config ' +
        `migrate, so the value must be in a Vault source listed: secret/${path} (kv2). ` +
        'Add them to Vault, to the environment, or to defaults.',
    );
    expectNoCanary([...renderError(error), ...logger.lines], [plain, fromVault]);
  });

  it('a schema-required key whose .env value is [VAULT]: MissingSecretsError names the placeholder', async () => {
    const path = uniq('module-ph/app');
    await writeKv2(target, path, { PH_OTHER: fromVault });
    const logger = new CapturingLogger();
    const result = await compile(
      { PH_JWT_SECRET: ' [VAULT] ', PH_PLAIN: plain },
      options(path, { schema: PlaceholderSchema }),
      logger,
    );
    const { error } = result as { error: unknown };
    expect(error).toBeInstanceOf(MissingSecretsError);
    expect((error as MissingSecretsError).missing).toEqual([
      expect.objectContaining({ key: 'PH_JWT_SECRET', placeholderIn: 'PH_JWT_SECRET' }),
    ]);
    expect((error as Error).message).toContain(
      'env PH_JWT_SECRET holds the [VAULT] placeholder left by vault-config migrate, so the value ' +
        `must be in a Vault source listed: secret/${path} (kv2)`,
    );
  });

  it('NODE_ENV=[VAULT] under a {env} path: an options error that names the placeholder', async () => {
    delete process.env.NODE_ENV; // as in a real start: the .env is what sets it
    const logger = new CapturingLogger();
    const result = await compile(
      { NODE_ENV: '[VAULT]', PH_PLAIN: plain },
      options('module-ph/{env}', { env: undefined }),
      logger,
    );
    expect(process.env.NODE_ENV).toBe('[VAULT]'); // the app did load the .env
    const { error } = result as { error: unknown };
    expect(error).toBeInstanceOf(VaultConfigOptionsError);
    expect((error as VaultConfigOptionsError).option).toBe('env (from NODE_ENV)');
    expect((error as Error).message).toBe(
      'Invalid vault-config options: env (from NODE_ENV) is the [VAULT] placeholder left by ' +
        'vault-config migrate: NODE_ENV must be a real value (e.g. production) in the environment ' +
        'or .env, since it picks the Vault path ({env}).',
    );
  });

  it('keys that are not required and that Vault lacks: the app starts, with one warning naming them', async () => {
    const path = uniq('module-ph/app');
    await writeKv2(target, path, { PH_MOVED: fromVault });
    const logger = new CapturingLogger();
    const result = await compile(
      {
        PH_MOVED: '[VAULT]', // Vault has it: no warning
        PH_UNDECLARED: '[VAULT]', // the app reads it with ConfigService.get, undeclared
        PH_TIMEOUT: '[VAULT]', // declared through a default
        PH_PLAIN: plain,
      },
      options(path, { required: ['PH_MOVED'], defaults: { PH_TIMEOUT: 30 } }),
      logger,
    );
    expect('error' in result).toBe(false);
    const secrets = (result as TestingModule).get(SecretsService);
    expect(secrets.get('PH_MOVED')).toBe(fromVault);
    expect(secrets.has('PH_UNDECLARED')).toBe(false);
    expect(secrets.get('PH_TIMEOUT')).toBe('30');
    const warnings = logger.lines.filter(line => PLACEHOLDER_LINE.test(line));
    expect(warnings).toEqual([
      'warn 2 environment variable(s) hold the [VAULT] placeholder left by vault-config migrate, ' +
        'but no Vault source provided the key: PH_TIMEOUT: using its default; PH_UNDECLARED: ' +
        `unset. Put the values in a Vault source (secret/${path}), or set real values in the ` +
        'environment. VaultConfig',
    ]);
    expect(warnings[0]).not.toContain('PH_MOVED');
    expectNoCanary(logger.lines, [plain, fromVault]);
  });
});
