/**
 * What `main.ts` gets in every documented set-up: a real app (`NestFactory.create` + `init`, as
 * docs/setup.md's `main.ts` boots it) reads `PORT` through `app.get(ConfigService)` and a secret
 * through `app.get(SecretsService)`, and gets the same `ConfigService` its providers were given.
 *
 * Non-strict `app.get` returns the instance Nest registered LAST for a token (modules are
 * registered depth-first, in scan order), which is not always the one DI hands to providers: a
 * `ConfigModule` nested in `forRootAsync({ imports })` used to be registered after ours, so
 * `main.ts` got `@nestjs/config`'s service without the Vault values and listened on its default port.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { type INestApplication } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { SecretsService, VaultConfigModule, vaultConfigLoader } from 'nestjs-vault-config';
import { canary } from '../support/canary.js';
import { describeTargets, writeKv2 } from '../support/contract-helpers.js';
import { bootApp, READ_PORT, READ_SECRET, type Imports } from '../support/main-ts-app.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

const PORT = '4123';

describeTargets('main.ts gets the Vault values', kind => {
  let target: VaultTarget;
  const secret = canary('main-ts');
  const dir = mkdtempSync(join(tmpdir(), 'main-ts-'));
  const envFile = join(dir, '.env');
  const open: INestApplication[] = [];
  const vault = () => ({
    address: target.url,
    auth: { method: 'token' as const, token: target.rootToken },
    sources: [{ mount: 'secret', path: 'main-ts/app' }],
    required: ['PORT', 'MAIN_TS_SECRET'],
  });

  beforeAll(async () => {
    target = await startTarget(kind);
    await writeKv2(target, 'main-ts/app', { PORT, MAIN_TS_SECRET: secret });
    writeFileSync(
      envFile,
      `MAIN_TS_VAULT_ADDR=${target.url}\nMAIN_TS_VAULT_TOKEN=${target.rootToken}\n`,
    );
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map(app => app.close()));
    delete process.env.MAIN_TS_VAULT_ADDR;
    delete process.env.MAIN_TS_VAULT_TOKEN;
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await target?.stop();
  });

  async function boot(imports: Imports, readers?: { secrets: boolean }): Promise<INestApplication> {
    const app = await bootApp(imports, readers);
    open.push(app);
    return app;
  }

  /** What main.ts reads is what every provider was given. */
  function expectMainTsSeesVault(app: INestApplication): void {
    expect(process.env.PORT).toBeUndefined();
    expect(app.get(ConfigService).get('PORT')).toBe(PORT);
    expect(app.get(READ_PORT)).toBe(PORT);
    expect(app.get(SecretsService).get('MAIN_TS_SECRET')).toBe(secret);
    expect(app.get(READ_SECRET)).toBe(secret);
  }

  it('(a) forRoot', async () => {
    expectMainTsSeesVault(await boot([VaultConfigModule.forRoot({ ...vault(), isGlobal: true })]));
  });

  it('(b) forRootAsync with ConfigModule.forRoot() nested in its imports (set-up A)', async () => {
    const app = await boot([
      VaultConfigModule.forRootAsync({
        isGlobal: true,
        imports: [ConfigModule.forRoot({ envFilePath: envFile })],
        inject: [ConfigService],
        useFactory: (env: ConfigService) => ({
          ...vault(),
          address: env.getOrThrow<string>('MAIN_TS_VAULT_ADDR'),
          auth: { method: 'token', token: env.getOrThrow<string>('MAIN_TS_VAULT_TOKEN') },
        }),
      }),
    ]);
    expectMainTsSeesVault(app);
    // The nested ConfigModule read the .env (the options factory got its values from there).
    expect(process.env.MAIN_TS_VAULT_ADDR).toBe(target.url);
  });

  it('(c) forRootAsync without a nested ConfigModule (a factory reading process.env)', async () => {
    process.env.MAIN_TS_VAULT_ADDR = target.url;
    const app = await boot([
      VaultConfigModule.forRootAsync({
        isGlobal: true,
        useFactory: () => ({ ...vault(), address: process.env.MAIN_TS_VAULT_ADDR }),
      }),
    ]);
    expectMainTsSeesVault(app);
  });

  it('(d) vaultConfigLoader in the app’s own global ConfigModule (set-up B): ConfigService only', async () => {
    const app = await boot(
      [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          load: [vaultConfigLoader(vault())],
        }),
      ],
      { secrets: false },
    );
    expect(app.get(ConfigService).get('PORT')).toBe(PORT);
    expect(app.get(ConfigService).get('MAIN_TS_SECRET')).toBe(secret);
    expect(app.get(READ_PORT)).toBe(PORT);
    // Set-up B has no live runtime (no refresh, no renewals), so no SecretsService: Nest says so.
    expect(() => app.get(SecretsService)).toThrow(/could not find SecretsService/);
  });

  // The pitfall the docs warn about: a global ConfigModule BESIDE VaultConfigModule makes two
  // ConfigService providers. DI hands providers the one from the module listed first; app.get hands
  // main.ts the one registered last. They disagree in either order.
  it('(e) a global ConfigModule listed before VaultConfigModule: providers lose the values, main.ts has them', async () => {
    const app = await boot([
      ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true }),
      VaultConfigModule.forRoot({ ...vault(), isGlobal: true }),
    ]);
    expect(app.get(READ_PORT)).toBeUndefined();
    expect(app.get(ConfigService).get('PORT')).toBe(PORT);
    expect(app.get(SecretsService).get('MAIN_TS_SECRET')).toBe(secret);
  });

  it('(e) a global ConfigModule listed after VaultConfigModule: providers have the values, main.ts loses them', async () => {
    const app = await boot([
      VaultConfigModule.forRoot({ ...vault(), isGlobal: true }),
      ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true }),
    ]);
    expect(app.get(READ_PORT)).toBe(PORT);
    expect(app.get(ConfigService).get('PORT')).toBeUndefined();
    expect(app.get(SecretsService).get('MAIN_TS_SECRET')).toBe(secret);
  });
});
