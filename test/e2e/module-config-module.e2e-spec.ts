/**
 * VaultConfigModule next to @nestjs/config's own ConfigModule, and vaultConfigLoader.
 *
 * Nest resolves a token from the first of a module's imports that exports it (in `imports` order),
 * then from global modules in the order they were registered. VaultConfigModule provides its own
 * ConfigService instance, so when the app ALSO imports `ConfigModule.forRoot({ isGlobal: true })`
 * there are two ConfigService providers and which one a provider gets depends on import order.
 * These tests pin down what happens and prove the two documented set-ups.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  SecretsService,
  VaultConfigModule,
  vaultConfigLoader,
  VaultSecretNotFoundError,
  type VaultConfigOptions,
} from 'nestjs-vault-config';
import { selectedTargets, startTarget, type VaultTarget } from '../support/vault-target.js';
import { canary } from '../support/canary.js';
import { writeKv2 } from '../support/contract-helpers.js';

const READ = 'CM_READ';
const readers = [
  { provide: READ, useFactory: (c: ConfigService) => c.get('CM_SECRET'), inject: [ConfigService] },
];

@Module({ providers: readers, exports: readers })
class FeatureModule {}

describe.each(selectedTargets())('ConfigModule interplay and vaultConfigLoader (%s)', kind => {
  let target: VaultTarget;
  let options: VaultConfigOptions;
  let dir: string;
  let envFile: string;
  const secret = canary('cm');
  const open: TestingModule[] = [];

  beforeAll(async () => {
    target = await startTarget(kind);
    await writeKv2(target, 'module-cm/app', { CM_SECRET: secret });
    options = {
      address: target.url,
      auth: { method: 'token', token: target.rootToken },
      sources: [{ mount: 'secret', path: 'module-cm/app' }],
      required: ['CM_SECRET'],
    };
    dir = mkdtempSync(join(tmpdir(), 'module-cm-'));
    envFile = join(dir, '.env');
    writeFileSync(envFile, 'CM_PLAIN_FROM_DOTENV=plain-value\n');
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map(m => m.close()));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    delete process.env.CM_PLAIN_FROM_DOTENV;
    await target?.stop();
  });

  async function compile(imports: unknown[]): Promise<TestingModule> {
    const moduleRef = await Test.createTestingModule({
      imports: imports as never[],
      providers: readers,
    }).compile();
    open.push(moduleRef);
    return moduleRef;
  }
  /** What a provider in the root module and one in a feature module read for CM_SECRET. */
  function reads(moduleRef: TestingModule) {
    return {
      root: moduleRef.get(READ),
      feature: moduleRef.select(FeatureModule).get(READ),
    };
  }
  const dotenvConfig = (isGlobal: boolean) =>
    ConfigModule.forRoot({ isGlobal, envFilePath: envFile });

  describe('with a global ConfigModule.forRoot() as well (two ConfigService providers)', () => {
    it("ConfigModule listed first: everyone gets ConfigModule's service, WITHOUT the Vault values", async () => {
      const moduleRef = await compile([
        dotenvConfig(true),
        VaultConfigModule.forRoot({ ...options, isGlobal: true }),
        FeatureModule,
      ]);
      expect(reads(moduleRef)).toEqual({ root: undefined, feature: undefined });
      // SecretsService is unambiguous: it has the values either way.
      expect(moduleRef.get(SecretsService).get('CM_SECRET')).toBe(secret);
    });

    it('VaultConfigModule listed first: everyone gets the Vault-backed service', async () => {
      const moduleRef = await compile([
        VaultConfigModule.forRoot({ ...options, isGlobal: true }),
        dotenvConfig(true),
        FeatureModule,
      ]);
      expect(reads(moduleRef)).toEqual({ root: secret, feature: secret });
    });
  });

  describe('documented set-ups', () => {
    it('A: VaultConfigModule global, ConfigModule.forRoot() only in its imports: one ConfigService with Vault and .env values', async () => {
      const moduleRef = await compile([
        FeatureModule,
        VaultConfigModule.forRootAsync({
          isGlobal: true,
          imports: [dotenvConfig(false)],
          inject: [ConfigService],
          useFactory: (env: ConfigService) => ({ ...options, env: env.get('APP_ENV', 'test') }),
        }),
      ]);
      expect(reads(moduleRef)).toEqual({ root: secret, feature: secret });
      // What main.ts gets (non-strict get: the ConfigService registered last) has the values too.
      const config = moduleRef.get(ConfigService);
      expect(config.get('CM_SECRET')).toBe(secret);
      // .env values stay readable: ConfigModule put them in process.env, ConfigService falls back to it.
      expect(config.get('CM_PLAIN_FROM_DOTENV')).toBe('plain-value');
    });

    it('B: keep your own ConfigModule and add vaultConfigLoader to `load`', async () => {
      const moduleRef = await compile([
        FeatureModule,
        ConfigModule.forRoot({
          isGlobal: true,
          envFilePath: envFile,
          load: [vaultConfigLoader(options)],
        }),
      ]);
      expect(reads(moduleRef)).toEqual({ root: secret, feature: secret });
      expect(moduleRef.get(ConfigService).get('CM_PLAIN_FROM_DOTENV')).toBe('plain-value');
      expect(process.env.CM_SECRET).toBeUndefined();
    });

    it('vaultConfigLoader fails like the module: a missing required source rejects compile()', async () => {
      await expect(
        compile([
          ConfigModule.forRoot({
            ignoreEnvFile: true,
            load: [
              vaultConfigLoader({
                ...options,
                sources: [{ mount: 'secret', path: 'module-cm/does-not-exist' }],
              }),
            ],
          }),
        ]),
      ).rejects.toBeInstanceOf(VaultSecretNotFoundError);
    });
  });
});
