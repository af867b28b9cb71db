import { inspect } from 'node:util';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { MissingSecretsError } from '../errors/missing-secrets.error.js';
import { VaultConfigError } from '../errors/vault-config.error.js';
import type { LoadSummary } from '../interfaces/load-summary.interface.js';
import { SecretSnapshot } from '../snapshot/secret-snapshot.js';
import type { SecretsSource } from '../runtime/secrets-source.interface.js';
import { SecretsService } from './secrets.service.js';
import { createVaultConfigService } from './vault-config-service.factory.js';

const CANARY = 'canary-secrets-service-7f3a9c';
const summary: LoadSummary = {
  mode: 'vault',
  authMethod: 'approle',
  sources: 1,
  keys: 2,
  fromVault: 1,
  fromEnv: 0,
  fromDefaults: 1,
  durationMs: 3,
  startupLogLine: 'Loaded 2 secrets',
};

interface AppSecrets extends Record<string, unknown> {
  JWT_SECRET: string;
  PORT: number;
}

/** A fixed snapshot: refresh and change events belong to the runtime's e2e tests. */
function sourceOf(fixed: SecretSnapshot<AppSecrets>): SecretsSource {
  return {
    snapshot: fixed as unknown as SecretsSource['snapshot'],
    refresh: () => Promise.reject(new Error('not used')),
    onChange: () => () => undefined,
  };
}

function snapshot(): SecretSnapshot<AppSecrets> {
  return new SecretSnapshot<AppSecrets>(
    [
      [
        'JWT_SECRET',
        {
          value: CANARY,
          description: {
            key: 'JWT_SECRET',
            source: 'vault',
            mount: 'secret',
            path: 'app',
            kvVersion: 2,
            version: 3,
          },
        },
      ],
      ['PORT', { value: 3000, description: { key: 'PORT', source: 'default' } }],
    ],
    summary,
  );
}

/** Everything a ConsoleLogger writes while `fn` runs (it writes to process.stdout/stderr). */
function captureConsole(fn: () => void): string {
  const out: string[] = [];
  const keep = (chunk: unknown) => {
    out.push(String(chunk));
    return true;
  };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(keep);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(keep);
  try {
    fn();
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return out.join('');
}

describe('SecretsService', () => {
  afterEach(() => Logger.overrideLogger(new ConsoleLogger()));

  it('reads typed values, knows its keys and where each came from', () => {
    const secrets = new SecretsService<AppSecrets>(sourceOf(snapshot()));
    const jwt: string | undefined = secrets.get('JWT_SECRET');
    expect(jwt).toBe(CANARY);
    expect(secrets.getOrThrow('PORT')).toBe(3000);
    expect(secrets.has('JWT_SECRET')).toBe(true);
    expect(secrets.has('NOPE')).toBe(false);
    expect(secrets.keys().sort()).toEqual(['JWT_SECRET', 'PORT']);
    expect(secrets.describe()).toContainEqual({
      key: 'JWT_SECRET',
      source: 'vault',
      mount: 'secret',
      path: 'app',
      kvVersion: 2,
      version: 3,
    });
    expect(JSON.stringify(secrets.describe())).not.toContain(CANARY);
    expect(secrets.summary.authMethod).toBe('approle');
  });

  it('getOrThrow names the missing key in a VaultConfigError subclass', () => {
    const secrets = new SecretsService<Record<string, unknown>>(sourceOf(snapshot()));
    let error: unknown;
    try {
      secrets.getOrThrow('DATABASE_URL');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingSecretsError);
    expect(error).toBeInstanceOf(VaultConfigError);
    expect((error as Error).message).toContain('DATABASE_URL');
    expect((error as MissingSecretsError).missing.map(m => m.key)).toEqual(['DATABASE_URL']);
  });

  it('prints redacted: util.inspect, JSON.stringify, String(), template strings', () => {
    const secrets = new SecretsService(sourceOf(snapshot()));
    const outputs = [
      inspect(secrets, { depth: 10, showHidden: true }),
      inspect({ nested: { secrets } }, { depth: 10 }),
      JSON.stringify(secrets),
      JSON.stringify({ secrets }),
      String(secrets),
      // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- what is tested
      `${secrets}`,
    ];
    for (const text of outputs) expect(text).not.toContain(CANARY);
    expect(String(secrets)).toBe('SecretsService [2 keys, values redacted]');
  });

  it.each([
    ['text', new ConsoleLogger()],
    ['json', new ConsoleLogger({ json: true })],
  ])('prints redacted through Nest %s Logger', (_mode, consoleLogger) => {
    const secrets = new SecretsService(sourceOf(snapshot()));
    const config = createVaultConfigService(snapshot());
    Logger.overrideLogger(consoleLogger);
    const logger = new Logger('RedactionTest');
    const written = captureConsole(() => {
      logger.log(secrets);
      logger.warn({ secrets, config });
      logger.error(config);
      logger.debug([secrets]);
    });
    expect(written).toContain('values redacted');
    expect(written).not.toContain(CANARY);
  });
});

describe('the ConfigService built from a snapshot', () => {
  it('answers get() from the snapshot and prints redacted', () => {
    const config = createVaultConfigService(snapshot());
    expect(config.get('JWT_SECRET')).toBe(CANARY);
    expect(config.getOrThrow('PORT')).toBe(3000);
    for (const text of [
      inspect(config, { depth: 10, showHidden: true }),
      JSON.stringify(config),
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- what is tested
      String(config),
    ]) {
      expect(text).not.toContain(CANARY);
    }
  });

  it('keeps dotted and prototype-like keys as plain data', () => {
    const snap = new SecretSnapshot(
      [
        ['a.b', { value: 'dotted', description: { key: 'a.b', source: 'vault' } }],
        ['__proto__', { value: 'proto', description: { key: '__proto__', source: 'vault' } }],
      ],
      summary,
    );
    const config = createVaultConfigService(snap);
    expect(config.get('a.b')).toBe('dotted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});
