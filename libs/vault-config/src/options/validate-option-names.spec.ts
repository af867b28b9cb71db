import { describe, expect, it } from '@jest/globals';
import { VaultConfigOptionsError } from '../errors/vault-config-options.error.js';
import { closestName } from './closest-name.js';
import { validateVaultConfigOptions } from './validate-vault-config-options.js';

const base = { address: 'http://127.0.0.1:8200', auth: { method: 'token', token: 't' } };

function problemsOf(options: Record<string, unknown>) {
  try {
    validateVaultConfigOptions(options, {});
  } catch (error) {
    expect(error).toBeInstanceOf(VaultConfigOptionsError);
    return (error as VaultConfigOptionsError).problems;
  }
  throw new Error('the options were accepted');
}

describe('unknown option names', () => {
  it('names a typo at the top level and suggests the option meant', () => {
    expect(problemsOf({ ...base, refesh: { intervalMs: 1000 } })).toEqual([
      {
        option: 'refesh',
        message: expect.stringMatching(/^is not an option; did you mean refresh\?/),
      },
    ]);
  });

  it('checks auth by method, tls, retry, refresh, envFallback and every source', () => {
    const problems = problemsOf({
      ...base,
      auth: { method: 'approle', roleId: 'r', secretId: 's', secretIdFil: '/run/secret-id' },
      tls: { caCrt: '/ca.pem' },
      retry: { attempt: 2 },
      refresh: { intervalMs: 1000, useMetdata: true },
      envFallback: { alias: {} },
      sources: [
        { mount: 'secret', path: 'a' },
        { mount: 'secret', path: 'b', requierd: false },
      ],
    });
    expect(problems.map(p => p.option)).toEqual([
      'auth.secretIdFil',
      'tls.caCrt',
      'retry.attempt',
      'refresh.useMetdata',
      'envFallback.alias',
      'sources[1].requierd',
    ]);
    expect(problems.map(p => /did you mean ([\w.[\]]+)\?/.exec(p.message)?.[1])).toEqual([
      'auth.secretIdFile',
      'tls.caCert',
      'retry.attempts',
      'refresh.useMetadata',
      'envFallback.aliases',
      'sources[1].required',
    ]);
  });

  it('an option of another auth method is unknown for this one', () => {
    const problems = problemsOf({ ...base, auth: { method: 'token', token: 't', roleId: 'r' } });
    expect(problems).toEqual([
      {
        option: 'auth.roleId',
        message: expect.stringMatching(/^is not an option \(known: method, token\)$/),
      },
    ]);
  });

  it('leaves the free-form maps alone, and never echoes a key that is not name-like', () => {
    expect(() =>
      validateVaultConfigOptions(
        { ...base, defaults: { ANY_KEY: 1 }, envFallback: { aliases: { A: ['B'] } } },
        {},
      ),
    ).not.toThrow();
    const secretLooking = 'hvs.CAES-canary secret';
    const problems = problemsOf({ ...base, [secretLooking]: true });
    expect(problems[0]?.option).toBe('<an unknown key>');
    expect(JSON.stringify(problems)).not.toContain('canary');
  });
});

describe('closestName', () => {
  it('finds near names, case-insensitively, and nothing when no name is near', () => {
    expect(closestName('refesh', ['refresh', 'required'])).toBe('refresh');
    expect(closestName('TimeoutMS', ['timeoutMs', 'retry'])).toBe('timeoutMs');
    expect(closestName('sourcse', ['sources'])).toBe('sources');
    expect(closestName('xyz', ['address', 'auth'])).toBeUndefined();
    expect(closestName('a', ['address'])).toBeUndefined();
  });
});
