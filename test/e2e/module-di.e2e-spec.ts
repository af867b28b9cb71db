/**
 * Invariant 1 of DESIGN.md: every provider that injects ConfigService or SecretsService — even in
 * its own useFactory, created concurrently with the module's providers — sees the Vault values.
 * And no provider the module exports prints a credential or a value.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Inject, Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import {
  SecretsService,
  VAULT_CONFIG_OPTIONS,
  VaultConfigModule,
  type VaultConfigModuleSettings,
  type VaultConfigOptionsFactory,
} from 'nestjs-vault-config';
import { VAULT_SECRETS_RUNTIME } from '../../libs/vault-config/src/nest/vault-config.constants.js';
import { selectedTargets, startTarget, type VaultTarget } from '../support/vault-target.js';
import { canary, expectNoCanary } from '../support/canary.js';
import { writeKv2 } from '../support/contract-helpers.js';
import { rootCall } from '../support/lifecycle-support.js';

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

  const token = canary('di-token'); // custom token ids may not use Vault's hvs. prefix
  const secretId = canary('di-secret-id');
  const fromDefaults = canary('di-default');
  let roleId: string;

  beforeAll(async () => {
    target = await startTarget(kind);
    await writeKv2(target, 'module-di/app', { DI_SECRET: secret, OTHER: 'x' });
    await rootCall(target, 'PUT', 'sys/policies/acl/module-di', {
      policy: 'path "secret/data/module-di/*" {\n  capabilities = ["read"]\n}\n',
    });
    await rootCall(target, 'POST', 'auth/token/create', {
      id: token,
      policies: ['module-di'],
      ttl: '1h',
    });
    await rootCall(target, 'POST', 'sys/auth/approle', { type: 'approle' });
    await rootCall(target, 'POST', 'auth/approle/role/module-di', {
      token_policies: ['module-di'],
    });
    roleId = String(
      (await rootCall(target, 'GET', 'auth/approle/role/module-di/role-id'))?.data?.role_id,
    );
    await rootCall(target, 'POST', 'auth/approle/role/module-di/custom-secret-id', {
      secret_id: secretId,
    });
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

  // Every provider the module exports, as a consumer injects it, printed every way a log or a
  // serialiser would; the options object the caller passed stays as it was.
  it.each([
    ['forRoot, token auth', () => ({ method: 'token' as const, token }), false],
    ['forRootAsync, AppRole', () => ({ method: 'approle' as const, roleId, secretId }), true],
  ])('no exported provider prints a credential or a value (%s)', async (_, auth, async) => {
    const given: VaultConfigModuleSettings = {
      ...options,
      auth: auth(),
      defaults: { DI_DEFAULT: fromDefaults },
    };
    const before = JSON.stringify(given);
    const moduleRef = await Test.createTestingModule({
      imports: [
        async
          ? VaultConfigModule.forRootAsync({ useFactory: () => given })
          : VaultConfigModule.forRoot(given),
      ],
    }).compile();
    const view = moduleRef.get<VaultConfigModuleSettings>(VAULT_CONFIG_OPTIONS);
    const exported: unknown[] = [
      view,
      view.auth,
      view.defaults,
      moduleRef.get(ConfigService),
      moduleRef.get(SecretsService),
      moduleRef.get(VAULT_SECRETS_RUNTIME),
    ];
    const printed = exported.flatMap(value => [
      inspect(value, { depth: 10, showHidden: true }),
      JSON.stringify(value),
      String(value),
    ]);
    expect(printed.join('\n')).toContain('values redacted');
    expectNoCanary(printed, [token, secretId, secret, fromDefaults]);
    // Still the options, to read: the same values behind the redacted printing.
    expect(view.address).toBe(target.url);
    expect(view.auth).toEqual(given.auth);
    expect(view.defaults?.DI_DEFAULT).toBe(fromDefaults);
    expect(moduleRef.get(SecretsService).get('DI_DEFAULT')).toBe(fromDefaults);
    expect(moduleRef.get(SecretsService).get('DI_SECRET')).toBe(secret);
    expect(JSON.stringify(given)).toBe(before);
    expect(Object.isFrozen(given)).toBe(false);
    await moduleRef.close();
  });
});
