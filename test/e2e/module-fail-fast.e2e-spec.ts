/**
 * Fail fast: Nest's bootstrap rejects with the library's typed error for each cause, and no secret
 * value or token shows up in the logs, the message, the stack, util.inspect or JSON.stringify.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Module, type Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import {
  MissingSecretsError,
  VaultConfigModule,
  VaultConfigOptionsError,
  VaultPermissionError,
  VaultSecretNotFoundError,
  VaultUnavailableError,
  type VaultConfigError,
  type VaultConfigOptions,
} from 'nestjs-vault-config';
import {
  freePort,
  selectedTargets,
  startTarget,
  vaultRequest,
  type VaultTarget,
} from '../support/vault-target.js';
import { CapturingLogger, renderError } from '../support/module-support.js';
import { canary, expectNoCanary } from '../support/canary.js';
import { writeKv2 } from '../support/contract-helpers.js';

interface FailCase {
  name: string;
  options: () => VaultConfigOptions;
  type: new (...args: never[]) => VaultConfigError;
  message: RegExp[];
}

describe.each(selectedTargets())('VaultConfigModule fail-fast (%s)', kind => {
  let target: VaultTarget;
  const value = canary('ff-value');
  const token = canary('ff-token'); // custom token ids may not use Vault's hvs. prefix
  let closedPort: string;

  beforeAll(async () => {
    target = await startTarget(kind);
    await writeKv2(target, 'module-ff/app', { FF_PRESENT: value });
    await writeKv2(target, 'module-ff/forbidden', { FF_FORBIDDEN: value });
    await vaultRequest(target, 'PUT', 'sys/policies/acl/module-ff', {
      // Readable: app and missing (so a 404 is a 404); not readable: forbidden.
      policy:
        'path "secret/data/module-ff/+" {\n  capabilities = ["read"]\n}\n' +
        'path "secret/data/module-ff/forbidden" {\n  capabilities = ["deny"]\n}\n',
    });
    const created = await vaultRequest(target, 'POST', 'auth/token/create', {
      id: token,
      policies: ['module-ff'],
      ttl: '1h',
    });
    expect(created.status).toBe(200);
    closedPort = `http://127.0.0.1:${await freePort()}`;
  });
  afterAll(async () => target?.stop());

  const base = (): VaultConfigOptions => ({
    address: target.url,
    auth: { method: 'token', token },
    retry: { attempts: 2, minDelayMs: 5, maxDelayMs: 10 },
    sources: [{ mount: 'secret', path: 'module-ff/app' }],
  });

  const cases: FailCase[] = [
    {
      name: 'Vault unreachable',
      options: () => ({ ...base(), address: closedPort }),
      type: VaultUnavailableError,
      message: [/unavailable/, /ECONNREFUSED/],
    },
    {
      name: 'required source missing',
      options: () => ({
        ...base(),
        sources: [...base().sources!, { mount: 'secret', path: 'module-ff/missing' }],
      }),
      type: VaultSecretNotFoundError,
      message: [/module-ff\/missing/],
    },
    {
      name: 'permission denied',
      options: () => ({
        ...base(),
        sources: [...base().sources!, { mount: 'secret', path: 'module-ff/forbidden', kv: 2 }],
      }),
      type: VaultPermissionError,
      message: [/module-ff\/forbidden/],
    },
    {
      name: 'required keys missing (one error listing every key)',
      options: () => ({ ...base(), required: ['FF_PRESENT', 'FF_MISSING_ONE', 'FF_MISSING_TWO'] }),
      type: MissingSecretsError,
      message: [/FF_MISSING_ONE/, /FF_MISSING_TWO/, /module-ff\/app/],
    },
    {
      name: 'bad options',
      options: () => ({ ...base(), sources: [{ mount: '', path: 'x' }] }),
      type: VaultConfigOptionsError,
      message: [/sources\[0\]\.mount/],
    },
  ];

  function expectClean(err: unknown, logger: CapturingLogger, c: FailCase) {
    expect(err).toBeInstanceOf(c.type);
    for (const re of c.message) expect((err as Error).message).toMatch(re);
    expectNoCanary([...renderError(err), ...logger.lines], [value, token]);
  }

  const appModule = (options: VaultConfigOptions): Type<unknown> => {
    @Module({
      imports: [VaultConfigModule.forRoot(options)],
      providers: [
        {
          provide: 'READ',
          useFactory: (c: ConfigService) => c.get('FF_PRESENT'),
          inject: [ConfigService],
        },
      ],
    })
    class AppModule {}
    return AppModule;
  };

  it.each(cases)('Test.createTestingModule().compile() rejects: $name', async c => {
    const logger = new CapturingLogger();
    const err = await Test.createTestingModule({ imports: [appModule(c.options())] })
      .setLogger(logger)
      .compile()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expectClean(err, logger, c);
  });

  it.each(cases.filter(c => c.type !== VaultConfigOptionsError))(
    'NestFactory.create rejects (abortOnError: false): $name',
    async c => {
      const logger = new CapturingLogger();
      const err = await NestFactory.create(appModule(c.options()), {
        logger,
        abortOnError: false,
      }).then(
        async app => {
          await app.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expectClean(err, logger, c);
      // Nest logs the failure through the app's logger: the line names the error, not a value.
      expect(logger.lines.join('\n')).toContain(c.type.name);
    },
  );
});
