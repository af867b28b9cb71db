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
    const methods =
      "'token', 'tokenFile', 'approle', 'kubernetes', 'jwt', 'cert', 'userpass', 'ldap', 'aws', 'gcp' or 'azure'";
    expect(problemsOf('token')).toEqual([['auth', `must be an object with a method (${methods})`]]);
    expect(problemsOf({ method: 'radius' })).toEqual([['auth.method', `must be ${methods}`]]);
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
      ['auth.mount', 'must be a mount path such as kubernetes'],
    ]);
    expect(
      problemsOf({ method: 'approle', roleId: 'r', secretId: 's', secretIdWrapped: 'yes' }),
    ).toEqual([['auth.secretIdWrapped', 'must be a boolean']]);
    expect(problemsOf({ method: 'kubernetes', jwtFile: '' })).toEqual([
      ['auth.role', 'is required'],
      ['auth.jwtFile', 'must be a non-empty string'],
    ]);
  });

  it('jwt: a role and exactly one of jwt and jwtFile; default mount jwt', () => {
    const inline = resolve({ method: 'jwt', role: 'ci', jwt: ' eyJ.x.y\n' });
    expect(inline.problems).toEqual([]);
    expect(inline.resolved).toMatchObject({ method: 'jwt', role: 'ci', mount: 'jwt' });
    expect(inline.resolved?.method === 'jwt' && inline.resolved.jwt?.reveal()).toBe('eyJ.x.y');
    expect(resolve({ method: 'jwt', role: 'ci', jwtFile: '/run/jwt', mount: 'gh/' })).toEqual({
      resolved: { method: 'jwt', role: 'ci', jwtFile: '/run/jwt', mount: 'gh' },
      problems: [],
    });
    expect(problemsOf({ method: 'jwt' })).toEqual([
      ['auth.role', 'is required'],
      ['auth.jwt', 'or auth.jwtFile is required'],
    ]);
    expect(problemsOf({ method: 'jwt', role: 'ci', jwt: 'a.b.c', jwtFile: '/f' })).toEqual([
      ['auth.jwt', 'and auth.jwtFile are mutually exclusive'],
    ]);
    expect(problemsOf({ method: 'jwt', role: 'ci', jwtFile: '' })).toEqual([
      ['auth.jwtFile', 'must be a non-empty string'],
    ]);
  });

  it('cert: an optional role name; default mount cert', () => {
    expect(resolve({ method: 'cert' })).toEqual({
      resolved: { method: 'cert', mount: 'cert' },
      problems: [],
    });
    expect(resolve({ method: 'cert', name: 'web', mount: 'mtls' }).resolved).toEqual({
      method: 'cert',
      name: 'web',
      mount: 'mtls',
    });
    expect(problemsOf({ method: 'cert', name: 3 })).toEqual([
      ['auth.name', 'must be a non-empty string'],
    ]);
  });

  it.each(['userpass', 'ldap'])('%s: a username and one of password / passwordFile', method => {
    const inline = resolve({ method, username: 'alice', password: ' spaced pw ' });
    expect(inline.problems).toEqual([]);
    expect(inline.resolved).toMatchObject({ method, username: 'alice', mount: method });
    const password = inline.resolved && 'password' in inline.resolved && inline.resolved.password;
    expect(password && password.reveal()).toBe(' spaced pw '); // spaces belong to a password
    expect(resolve({ method, username: 'bob', passwordFile: '/run/pw' }).resolved).toEqual({
      method,
      username: 'bob',
      passwordFile: '/run/pw',
      mount: method,
    });
    expect(problemsOf({ method })).toEqual([
      ['auth.username', 'is required'],
      ['auth.password', 'or auth.passwordFile is required'],
    ]);
    expect(problemsOf({ method, username: 'a/b', password: 'p', passwordFile: '/f' })).toEqual([
      ['auth.username', 'must not contain "/"'],
      ['auth.password', 'and auth.passwordFile are mutually exclusive'],
    ]);
  });

  it('approle: secretIdWrapped defaults to false', () => {
    expect(resolve({ method: 'approle', roleId: 'r', secretIdFile: '/w' }).resolved).toMatchObject({
      secretIdWrapped: false,
    });
    expect(
      resolve({ method: 'approle', roleId: 'r', secretIdFile: '/w', secretIdWrapped: true })
        .resolved,
    ).toMatchObject({ secretIdWrapped: true });
  });

  it('never shows a credential in the resolved options or in an error', () => {
    const approle = resolve({ method: 'approle', roleId: CANARY, secretId: CANARY }).resolved;
    const token = resolve({ method: 'token', token: CANARY }).resolved;
    const envToken = resolve(undefined, { VAULT_TOKEN: CANARY }).resolved;
    const jwt = resolve({ method: 'jwt', role: 'r', jwt: CANARY }).resolved;
    const userpass = resolve({ method: 'userpass', username: 'u', password: CANARY }).resolved;
    const ldap = resolve({ method: 'ldap', username: 'u', password: CANARY }).resolved;
    for (const resolved of [approle, token, envToken, jwt, userpass, ldap]) {
      expect(resolved).toBeDefined();
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
    problems.push(
      ...problemsOf({ method: 'jwt', role: 'r', jwt: CANARY, jwtFile: 'f' }),
      ...problemsOf({ method: 'ldap', username: 'u/x', password: CANARY, passwordFile: 'f' }),
    );
    expect(problems).toHaveLength(5);
    const error = errorOf(problems);
    expect(error.message).not.toContain(CANARY);
    expect(JSON.stringify(error)).not.toContain(CANARY);
    expect(inspect(error)).not.toContain(CANARY);
  });
});
