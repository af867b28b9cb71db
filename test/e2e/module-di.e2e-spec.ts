/**
 * Invariant 1 of DESIGN.md: every provider that injects ConfigService or SecretsService — even in
 * its own useFactory, created concurrently with the module's providers — sees the Vault values.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Inject, Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import {
  SecretsService,
  VaultConfigModule,
  type VaultConfigModuleSettings,
  type VaultConfigOptionsFactory,
} from 'nestjs-vault-config';
import { selectedTargets, startTarget, type VaultTarget } from '../support/vault-target.js';
import { canary } from '../support/canary.js';
import { writeKv2 } from '../support/contract-helpers.js';

const FROM_CONFIG = 'FROM_CONFIG';
const FROM_SECRETS = 'FROM_SECRETS';

@Injectable()
class ClassConsumer {
  readonly secret: unknown;
  constructor(config: ConfigService) {
    this.secret = config.get('DI_SECRET');
  }
}

const consumers = [
  {
    provide: FROM_CONFIG,
    useFactory: (config: ConfigService) => config.get<string>('DI_SECRET'),
    inject: [ConfigService],
  },
  {
    provide: FROM_SECRETS,
    useFactory: (secrets: SecretsService) => secrets.get('DI_SECRET'),
    inject: [SecretsService],
  },
  ClassConsumer,
];

/** Does not import VaultConfigModule: it can only see a global one. */
@Module({ providers: consumers, exports: consumers })
class FeatureModule {}

describe.each(selectedTargets())('VaultConfigModule DI ordering (%s)', kind => {
  let target: VaultTarget;
  const secret = canary('di');
  let options: VaultConfigModuleSettings;

  beforeAll(async () => {
    target = await startTarget(kind);
    await writeKv2(target, 'module-di/app', { DI_SECRET: secret, OTHER: 'x' });
    options = {
      address: target.url,
      auth: { method: 'token', token: target.rootToken },
      sources: [{ mount: 'secret', path: 'module-di/app' }],
      required: ['DI_SECRET'],
    };
  });
  afterAll(async () => target?.stop());

  async function expectConsumersSeeSecret(moduleRef: {
    get(token: unknown, opts?: { strict: boolean }): unknown;
  }) {
    // The value reaches consumers through DI only: nothing copies it into process.env.
    expect(process.env.DI_SECRET).toBeUndefined();
    expect(moduleRef.get(FROM_CONFIG, { strict: false })).toBe(secret);
    expect(moduleRef.get(FROM_SECRETS, { strict: false })).toBe(secret);
    expect((moduleRef.get(ClassConsumer, { strict: false }) as ClassConsumer).secret).toBe(secret);
  }

  it('forRoot: a provider factory, a SecretsService factory and a class constructor see the value', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [VaultConfigModule.forRoot(options)],
      providers: consumers,
    }).compile();
    await expectConsumersSeeSecret(moduleRef);
    expect(moduleRef.get(ConfigService).get('DI_SECRET')).toBe(
      moduleRef.get(SecretsService).get('DI_SECRET'),
    );
    await moduleRef.close();
  });

  it('isGlobal: a module that does not import VaultConfigModule sees the values', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [VaultConfigModule.forRoot({ ...options, isGlobal: true }), FeatureModule],
    }).compile();
    await expectConsumersSeeSecret(moduleRef);
    await moduleRef.close();
  });

  it('without isGlobal, other modules cannot inject it (Nest reports the missing dependency)', async () => {
    await expect(
      Test.createTestingModule({
        imports: [VaultConfigModule.forRoot(options), FeatureModule],
      }).compile(),
    ).rejects.toThrow(/can't resolve dependencies/);
  });

  it('forRootAsync: VAULT_* from a .env file through ConfigModule.forRoot() + inject ConfigService', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'module-di-'));
    const envFile = join(dir, '.env');
    writeFileSync(
      envFile,
      `DI_TEST_VAULT_ADDR=${target.url}\nDI_TEST_VAULT_TOKEN=${target.rootToken}\n`,
    );
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [
          VaultConfigModule.forRootAsync({
            isGlobal: true,
            imports: [ConfigModule.forRoot({ envFilePath: envFile })],
            inject: [ConfigService],
            useFactory: (env: ConfigService) => ({
              address: env.getOrThrow<string>('DI_TEST_VAULT_ADDR'),
              auth: { method: 'token', token: env.getOrThrow<string>('DI_TEST_VAULT_TOKEN') },
              sources: options.sources,
            }),
          }),
          FeatureModule,
        ],
      }).compile();
      await expectConsumersSeeSecret(moduleRef);
      await moduleRef.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      delete process.env.DI_TEST_VAULT_ADDR;
      delete process.env.DI_TEST_VAULT_TOKEN;
    }
  });

  it('forRootAsync: useClass and useExisting call createVaultConfigOptions()', async () => {
    const OPTIONS_SOURCE = 'DI_OPTIONS_SOURCE';
    @Injectable()
    class OptionsFactory implements VaultConfigOptionsFactory {
      constructor(@Inject(OPTIONS_SOURCE) private readonly source: VaultConfigModuleSettings) {}
      createVaultConfigOptions() {
        return this.source;
      }
    }
    @Module({
      providers: [{ provide: OPTIONS_SOURCE, useFactory: () => options }, OptionsFactory],
      exports: [OPTIONS_SOURCE, OptionsFactory],
    })
    class OptionsModule {}

    for (const variant of [
      { imports: [OptionsModule], useClass: OptionsFactory },
      { imports: [OptionsModule], useExisting: OptionsFactory },
    ]) {
      const moduleRef = await Test.createTestingModule({
        imports: [VaultConfigModule.forRootAsync(variant)],
        providers: consumers,
      }).compile();
      await expectConsumersSeeSecret(moduleRef);
      await moduleRef.close();
    }
  });
});
