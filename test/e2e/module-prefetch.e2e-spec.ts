/**
 * `VaultConfigModule.forRoot` and `vaultConfigLoader` start reading Vault when they are called. The
 * prefetch must be invisible except for speed: the read starts at once, each app from one module
 * object gets its own runtime, a changed VAULT_* variable is read again, and a module that is never
 * instantiated leaves no unhandled rejection and no handle that keeps the process alive.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { Module, type INestApplicationContext, type Type } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import {
  SecretsService,
  VaultAuthError,
  VaultConfigModule,
  vaultConfigLoader,
  type VaultConfigModuleOptions,
} from 'nestjs-vault-config';
import { canary, expectNoCanary } from '../support/canary.js';
import { writeKv2 } from '../support/contract-helpers.js';
import {
  appRoleFor,
  eventually,
  rootCall,
  sleep,
  tokensWithPolicy,
} from '../support/lifecycle-support.js';
import { CapturingLogger } from '../support/module-support.js';
import { requestCount } from '../support/request-count.js';
import {
  freePort,
  selectedTargets,
  startTarget,
  type VaultTarget,
} from '../support/vault-target.js';

/** Handles that keep the event loop alive, by kind (Jest's own are in both counts). */
function liveHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/** liveHandles() once two looks 100 ms apart agree (earlier suites' sockets close asynchronously). */
async function settledHandles(): Promise<Record<string, number>> {
  let last = JSON.stringify(liveHandles());
  for (let i = 0; i < 30; i++) {
    await sleep(100);
    const now = JSON.stringify(liveHandles());
    if (now === last) break;
    last = now;
  }
  return JSON.parse(last) as Record<string, number>;
}

const appOf = (imports: unknown[]): Type<unknown> => {
  @Module({ imports: imports as never[] })
  class AppModule {}
  return AppModule;
};

async function boot(module: Type<unknown>, logger = new CapturingLogger()) {
  return Test.createTestingModule({ imports: [module] })
    .setLogger(logger)
    .compile()
    .then(m => m.init());
}

describe.each(selectedTargets())('prefetch of VaultConfigModule.forRoot (%s)', kind => {
  let target: VaultTarget;
  const value = canary('prefetch');
  let roleId: string;
  let secretId: string;

  beforeAll(async () => {
    target = await startTarget(kind);
    await writeKv2(target, 'prefetch/app/config', { PREFETCH_VALUE: value });
    ({ roleId, secretId } = await appRoleFor(target, 'prefetch', 'prefetch/app', {
      tokenTtl: '1h',
      tokenMaxTtl: '2h',
    }));
  });
  afterAll(async () => target?.stop());

  const options = (extra: Partial<VaultConfigModuleOptions> = {}): VaultConfigModuleOptions => ({
    address: target.url,
    auth: { method: 'approle', roleId, secretId },
    sources: [{ mount: 'secret', path: 'prefetch/app/config' }],
    required: ['PREFETCH_VALUE'],
    ...extra,
  });

  it('two apps from one module object each get their own runtime, refresh and login', async () => {
    const logins = (await tokensWithPolicy(target, 'prefetch-policy')).length;
    const shared = VaultConfigModule.forRoot(options({ refresh: { intervalMs: 300 } }));
    const first = await boot(appOf([shared]));
    const second = await boot(appOf([shared]));
    try {
      expect((await tokensWithPolicy(target, 'prefetch-policy')).length).toBe(logins + 2);
      const [a, b] = [first.get(SecretsService), second.get(SecretsService)];
      expect(a.getOrThrow('PREFETCH_VALUE')).toBe(value);
      expect(b.getOrThrow('PREFETCH_VALUE')).toBe(value);
      expect(a).not.toBe(b);
      await first.close(); // the first app's connection and timers end; the second's go on
      const rotated = canary('prefetch-rotated');
      await writeKv2(target, 'prefetch/app/config', { PREFETCH_VALUE: rotated });
      const seen = await eventually(() => b.get('PREFETCH_VALUE') === rotated, 5000);
      expect(seen).toBe(true);
      expect(second.get(ConfigService).get('PREFETCH_VALUE')).toBe(rotated);
      await writeKv2(target, 'prefetch/app/config', { PREFETCH_VALUE: value });
    } finally {
      await second.close();
    }
  });

  it('a VAULT_* variable set after forRoot (e.g. by a .env) is read again, not ignored', async () => {
    const saved = process.env.VAULT_ADDR;
    // Vault's address is unknown when forRoot is called; ConfigModule loads it later.
    process.env.VAULT_ADDR = `http://127.0.0.1:${await freePort()}`;
    const module = VaultConfigModule.forRoot({
      ...options(),
      address: undefined,
      retry: { attempts: 1 },
    });
    try {
      await sleep(300); // the prefetch has failed on the closed port by now
      process.env.VAULT_ADDR = target.url;
      const app = await boot(appOf([module]));
      expect(app.get(SecretsService).getOrThrow('PREFETCH_VALUE')).toBe(value);
      await app.close();
    } finally {
      if (saved === undefined) delete process.env.VAULT_ADDR;
      else process.env.VAULT_ADDR = saved;
    }
  });

  it('vaultConfigLoader reads from the moment it is called; ConfigModule waits for it', async () => {
    const logger = new CapturingLogger();
    const loader = vaultConfigLoader(options());
    const app = await boot(
      appOf([ConfigModule.forRoot({ load: [loader], ignoreEnvFile: true })]),
      logger,
    );
    try {
      expect(app.get(ConfigService).get('PREFETCH_VALUE')).toBe(value);
      expect(logger.lines.some(l => /Loaded 1 secrets/.test(l))).toBe(true);
      expectNoCanary(logger.lines, [value, secretId]);
    } finally {
      await app.close();
    }
  });

  it('an error of the read surfaces where Nest creates the module, once per app, typed', async () => {
    const bad = VaultConfigModule.forRoot(
      options({ auth: { method: 'approle', roleId, secretId: canary('wrong') } }),
    );
    await sleep(200); // the read has failed by now; nothing may surface here
    const logger = new CapturingLogger();
    const error = await boot(appOf([bad]), logger).then(
      (app: INestApplicationContext) => app.close(),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VaultAuthError);
    const again = await boot(appOf([bad])).then(
      (app: INestApplicationContext) => app.close(),
      (e: unknown) => e,
    );
    expect(again).toBeInstanceOf(VaultAuthError);
    expectNoCanary(logger.lines, [secretId]);
  });
});

describe('prefetch of a module that is never instantiated (memory)', () => {
  let target: VaultTarget;
  beforeAll(async () => {
    target = await startTarget('memory');
    await writeKv2(target, 'prefetch/idle', { IDLE: 'x' });
  });
  afterAll(async () => target?.stop());

  it('starts reading at forRoot, before any app exists', async () => {
    const memory = target.memory!;
    memory.resetStats();
    VaultConfigModule.forRoot({
      address: target.url,
      auth: { method: 'token', token: target.rootToken },
      sources: [{ mount: 'secret', path: 'prefetch/idle' }],
    });
    expect(await eventually(() => memory.stats().total >= 2, 2000)).toBe(true);
  });

  it('keeps no handle alive while Vault is slow, and no rejection is left unhandled', async () => {
    // A "Vault" in another process that accepts connections and never answers: only our side of
    // the socket lives in this process.
    const port = await freePort();
    const hole = spawn(
      process.execPath,
      [
        '-e',
        `require('net').createServer(s => console.log('accepted')).listen(${port}, '127.0.0.1', () => console.log('ready'))`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const output: string[] = [];
    hole.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      expect(await eventually(() => output.join('').includes('ready'), 5000)).toBe(true);
      const before = await settledHandles();
      VaultConfigModule.forRoot({
        address: `http://127.0.0.1:${port}`,
        auth: { method: 'token', token: target.rootToken },
        timeoutMs: 3000,
        sources: [{ mount: 'secret', path: 'prefetch/idle' }],
      });
      // A request is in flight now (nobody answers it)...
      expect(await eventually(() => output.join('').includes('accepted'), 3000)).toBe(true);
      const during = await settledHandles();
      // ...but neither its socket nor its timeout keeps the process alive.
      expect(during.TCPSocketWrap ?? 0).toBe(before.TCPSocketWrap ?? 0);
      expect(during.Timeout ?? 0).toBe(before.Timeout ?? 0);
      // A module whose options are wrong and a Vault that refuses: both fail unseen.
      VaultConfigModule.forRoot({ address: 'not a url', sources: [] });
      VaultConfigModule.forRoot({
        address: `http://127.0.0.1:${await freePort()}`,
        auth: { method: 'token', token: 'x' },
        retry: { attempts: 1 },
      });
      await sleep(300);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      hole.kill();
    }
  });

  it('the token lookup of a claimed runtime is not started for an unclaimed read', async () => {
    const memory = target.memory!;
    memory.resetStats();
    VaultConfigModule.forRoot({
      address: target.url,
      auth: { method: 'token', token: target.rootToken },
      sources: [{ mount: 'secret', path: 'prefetch/idle' }],
    });
    await sleep(1500); // a runtime would look its token up 1 s after boot
    expect(await requestCount(target, 'GET', '/v1/auth/token/lookup-self')).toBe(0);
    await rootCall(target, 'GET', 'sys/health');
  });
});
