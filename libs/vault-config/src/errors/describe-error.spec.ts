import { describe, expect, it } from '@jest/globals';
import { describeError, errorName } from './describe-error.js';
import { VaultConfigError } from './vault-config.error.js';
import { VaultPermissionError } from './vault-permission.error.js';
import { VaultUnavailableError } from './vault-unavailable.error.js';

const CANARY = 'canary-describe-error-7f3a';

describe('describeError', () => {
  const unavailable = new VaultUnavailableError({
    address: 'http://127.0.0.1:8200',
    errorCode: 'ECONNREFUSED',
    path: 'secret/data/app',
    attempts: 3,
  });

  it('shows a library error’s message whole by default', () => {
    expect(describeError(unavailable)).toBe(unavailable.message);
    expect(describeError(unavailable)).toContain('ECONNREFUSED');
    const denied = new VaultPermissionError({ paths: ['secret/data/a'], capability: 'read' });
    expect(describeError(denied)).toBe(denied.message);
    expect(describeError(new VaultConfigError('plain'))).toBe('plain');
  });

  it('cuts a library error’s message at max characters', () => {
    expect(unavailable.message.length).toBeGreaterThan(60);
    expect(describeError(unavailable, 60)).toBe(unavailable.message.slice(0, 60));
    expect(describeError(unavailable, 60)).toHaveLength(60);
    expect(describeError(new VaultConfigError('short'), 60)).toBe('short');
    expect(describeError(unavailable, 0)).toBe('');
  });

  it('shows only the class name of a foreign error whose message holds a secret', async () => {
    // A real one: fetch puts the whole URL, credentials included, in its message.
    const fromFetch = await fetch(`http://user:${CANARY}@127.0.0.1:1/`).catch((e: unknown) => e);
    expect((fromFetch as Error).message).toContain(CANARY);
    // Under Jest fetch's TypeError comes from another realm (not `instanceof Error`): still named.
    expect(describeError(fromFetch)).toBe('TypeError (details hidden)');

    class AxiosLikeError extends Error {
      override name = 'AxiosLikeError';
      config = { headers: { 'X-Vault-Token': CANARY } };
    }
    const foreign = [
      new Error(`token ${CANARY}`),
      new RangeError(CANARY),
      new AxiosLikeError(`Request failed: ${CANARY}`),
      new Error('wrapper', { cause: new Error(CANARY) }),
    ];
    const shown = foreign.map(e => describeError(e, 1000));
    expect(shown).toEqual([
      'Error (details hidden)',
      'RangeError (details hidden)',
      'AxiosLikeError (details hidden)',
      'Error (details hidden)',
    ]);
    expect(shown.join()).not.toContain(CANARY);
  });

  it('never reads a message off something that only looks like a library error', () => {
    const lookalike = { name: 'VaultConfigError', message: CANARY, code: 'VAULT_CONFIG_ERROR' };
    expect(describeError(lookalike)).toBe('VaultConfigError (details hidden)');
    expect(describeError(CANARY)).toBe('string (details hidden)');
    expect(describeError(undefined)).toBe('undefined (details hidden)');
    expect(describeError(null)).toBe('object (details hidden)');
    expect(describeError(42)).toBe('number (details hidden)');
  });
});

describe('errorName', () => {
  it('is the class name of an Error and the type of anything else', () => {
    expect(errorName(new TypeError(CANARY))).toBe('TypeError');
    expect(errorName(new VaultConfigError(CANARY))).toBe('VaultConfigError');
    expect(errorName(CANARY)).toBe('string');
    expect(errorName({ message: CANARY })).toBe('object');
  });

  it('shows a name only when it looks like a class name (a name can carry data too)', () => {
    const named = new Error('x');
    named.name = `token ${CANARY}`;
    expect(errorName(named)).toBe('Error');
    expect(errorName({ name: CANARY.repeat(10) })).toBe('object');
    expect(errorName({ name: 'AxiosError' })).toBe('AxiosError');
  });
});
