import { describe, expect, it, jest } from '@jest/globals';
import { inspect } from 'node:util';
import { VaultConfigOptionsError } from '../errors/vault-config-options.error.js';
import type { Report } from './option-reader.js';
import { validateAuthOptions } from './validate-auth-options.js';

const CANARY = 'canary-s3cr3t-auth-credential';

const resolve = (auth: unknown, env: NodeJS.ProcessEnv = {}) => {
  const report = jest.fn<Report>();
  const resolved = validateAuthOptions(auth === undefined ? {} : { auth }, env, report);
  return { resolved, problems: report.mock.calls };
};
const problemsOf = (auth: unknown) => resolve(auth).problems;
/** The error the composer would throw for these problems. */
const errorOf = (problems: [string, string][]) =>
  new VaultConfigOptionsError(problems.map(([option, message]) => ({ option, message })));

describe('validateAuthOptions', () => {
  it('without auth, uses the trimmed token in VAULT_TOKEN, or none, and marks it implicit', () => {
    const fromEnv = resolve(undefined, { VAULT_TOKEN: ' env-token ' }).resolved;
    expect(fromEnv?.method === 'token' && fromEnv.token?.reveal()).toBe('env-token');
    expect(fromEnv?.method === 'token' && fromEnv.implicit).toBe(true);
    expect(resolve(undefined, { VAULT_TOKEN: '  ' })).toEqual({
      resolved: { method: 'token', implicit: true },
      problems: [],
    });
  });

  it('a token option wins over VAULT_TOKEN and is trimmed', () => {
    const mine = resolve({ method: 'token', token: ' mine ' }, { VAULT_TOKEN: 'env' }).resolved;
    expect(mine?.method === 'token' && mine.token?.reveal()).toBe('mine');
    const env = resolve({ method: 'token' }, { VAULT_TOKEN: 'env' }).resolved;
    expect(env?.method === 'token' && env.token?.reveal()).toBe('env');
    expect(env?.method === 'token' && env.implicit).toBeUndefined();
  });

  it('fills the default mounts and jwt file, and normalises a given mount', () => {
    expect(resolve({ method: 'kubernetes', role: 'app' })).toEqual({
      resolved: {
        method: 'kubernetes',
        role: 'app',
        jwtFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
        mount: 'kubernetes',
      },
      problems: [],
    });
    const approle = resolve({ method: 'approle', roleId: 'r', secretIdFile: '/run/sid' });
    expect(approle.resolved).toMatchObject({ mount: 'approle', secretIdFile: '/run/sid' });
    expect(
      resolve({ method: 'approle', roleId: 'r', secretId: 's', mount: '/ar/' }).resolved,
    ).toMatchObject({ mount: 'ar' });
    expect(resolve({ method: 'tokenFile', path: '/run/token' }).resolved).toEqual({
      method: 'tokenFile',
      path: '/run/token',
    });
  });

  it('reports each mistake under its auth.* path', () => {
    expect(problemsOf('token')).toEqual([
      [
        'auth',
        "must be an object with a method ('token', 'tokenFile', 'approle', 'kubernetes', 'aws', 'gcp' or 'azure')",
      ],
    ]);
    expect(problemsOf({ method: 'ldap' })).toEqual([
      [
        'auth.method',
        "must be 'token', 'tokenFile', 'approle', 'kubernetes', 'aws', 'gcp' or 'azure'",
      ],
    ]);
    expect(problemsOf({ method: 'token', token: ' ' })).toEqual([
      ['auth.token', 'must be a non-empty string'],
    ]);
    expect(problemsOf({ method: 'tokenFile' })).toEqual([['auth.path', 'is required']]);
    expect(problemsOf({ method: 'approle' })).toEqual([
      ['auth.roleId', 'is required'],
      ['auth.secretId', 'or auth.secretIdFile is required'],
    ]);
    expect(
      problemsOf({ method: 'approle', roleId: 'r', secretId: 's', secretIdFile: 'f' }),
    ).toEqual([['auth.secretId', 'and auth.secretIdFile are mutually exclusive']]);
    expect(problemsOf({ method: 'kubernetes', role: 'app', mount: 'a//b' })).toEqual([
      ['auth.mount', 'must be a mount path such as approle'],
    ]);
    expect(problemsOf({ method: 'kubernetes', jwtFile: '' })).toEqual([
      ['auth.role', 'is required'],
      ['auth.jwtFile', 'must be a non-empty string'],
    ]);
  });

  it('never shows a credential in the resolved options or in an error', () => {
    const approle = resolve({ method: 'approle', roleId: CANARY, secretId: CANARY }).resolved;
    const token = resolve({ method: 'token', token: CANARY }).resolved;
    const envToken = resolve(undefined, { VAULT_TOKEN: CANARY }).resolved;
    for (const resolved of [approle, token, envToken]) {
      expect(inspect(resolved, { depth: 10 })).not.toContain(CANARY);
      expect(JSON.stringify(resolved)).not.toContain(CANARY);
    }
    const problems = problemsOf({
      method: 'approle',
      roleId: CANARY,
      secretId: CANARY,
      secretIdFile: 'f',
      mount: '//',
    });
    expect(problems).toHaveLength(2);
    const error = errorOf(problems);
    expect(error.message).not.toContain(CANARY);
    expect(JSON.stringify(error)).not.toContain(CANARY);
    expect(inspect(error)).not.toContain(CANARY);
  });
});
