import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { VaultConfigOptionsError } from '../errors/vault-config-options.error.js';
import { validateVaultConfigOptions } from './validate-vault-config-options.js';

const problemsOf = (raw: unknown, env: NodeJS.ProcessEnv = {}) => {
  try {
    validateVaultConfigOptions(raw, env);
  } catch (e) {
    expect(e).toBeInstanceOf(VaultConfigOptionsError);
    return (e as VaultConfigOptionsError).problems.map(p => `${p.option} ${p.message}`);
  }
  throw new Error('expected VaultConfigOptionsError');
};

describe('validateVaultConfigOptions', () => {
  it('applies defaults and reads VAULT_* from the given environment', () => {
    const r = validateVaultConfigOptions(
      { sources: [{ mount: '/secret/', path: 'apps/{env}/' }] },
      {
        VAULT_ADDR: 'http://127.0.0.1:8200/',
        VAULT_TOKEN: 'tok',
        VAULT_NAMESPACE: 'team-a/',
        VAULT_SKIP_VERIFY: 'true',
        NODE_ENV: 'staging',
      },
    );
    expect(r).toMatchObject({
      enabled: true,
      address: 'http://127.0.0.1:8200',
      namespace: 'team-a',
      authMethod: 'token',
      timeoutMs: 5000,
      retry: { attempts: 3, minDelayMs: 100, maxDelayMs: 2000 },
      concurrency: 16,
      onUnavailable: 'fail',
      env: 'staging',
      tls: { rejectUnauthorized: false },
      sources: [{ mount: 'secret', path: 'apps/staging', kv: 'auto', required: true, prefix: '' }],
    });
    expect(r.auth.method === 'token' && r.auth.token?.reveal()).toBe('tok');
  });

  it('options win over the environment; env option wins over NODE_ENV', () => {
    const r = validateVaultConfigOptions(
      {
        address: 'https://vault.example.com',
        auth: { method: 'token', token: 'mine' },
        env: 'prod',
        tls: { rejectUnauthorized: true },
        sources: [{ mount: 'secret', path: '{env}/x' }],
      },
      { VAULT_ADDR: 'http://other', VAULT_TOKEN: 'env', NODE_ENV: 'dev', VAULT_SKIP_VERIFY: '1' },
    );
    expect(r.address).toBe('https://vault.example.com');
    expect(r.auth.method === 'token' && r.auth.token?.reveal()).toBe('mine');
    expect(r.sources[0].path).toBe('prod/x');
    expect(r.tls.rejectUnauthorized).toBe(true);
  });

  it('collects every problem into one error naming each option path', () => {
    expect(
      problemsOf({
        timeoutMs: -1,
        retry: { attempts: 0, minDelayMs: 50, maxDelayMs: 10 },
        sources: [{ mount: 'secret', path: 'ok' }, { mount: '', path: 'x/{ENV}' }, 'nope'],
        onUnavailable: 'maybe',
        defaults: { A: {} },
        required: ['A', ''],
        envFallback: { aliases: { A: 'B' } },
      }),
    ).toEqual([
      'address is required (or set VAULT_ADDR, or enabled: false)',
      'timeoutMs must be an integer from 1 to 600000',
      'retry.attempts must be an integer from 1 to 20',
      'retry.maxDelayMs must be at least retry.minDelayMs',
      "onUnavailable must be 'fail' or 'fallback'",
      'sources[1].mount must be a non-empty string',
      'sources[1].path uses unknown placeholder {ENV} (only {env} is supported)',
      'sources[2] must be an object with mount and path',
      'envFallback.aliases.A must be an array of non-empty strings',
      'defaults.A must be a string, a finite number or a boolean',
      'required[1] must be a non-empty string',
    ]);
  });

  it('validates each auth method', () => {
    const env = { VAULT_ADDR: 'http://127.0.0.1:1' };
    expect(problemsOf({ auth: { method: 'radius' } }, env)).toEqual([
      "auth.method must be 'token', 'tokenFile', 'approle', 'kubernetes', 'jwt', 'cert', 'userpass', 'ldap', 'aws', 'gcp' or 'azure'",
    ]);
    expect(problemsOf({ auth: { method: 'approle', roleId: 'r' } }, env)).toEqual([
      'auth.secretId or auth.secretIdFile is required',
    ]);
    expect(problemsOf({ auth: { method: 'tokenFile' } }, env)).toEqual(['auth.path is required']);
    expect(problemsOf({ auth: { method: 'kubernetes', role: '' } }, env)).toEqual([
      'auth.role must be a non-empty string',
    ]);
    const k8s = validateVaultConfigOptions({ auth: { method: 'kubernetes', role: 'app' } }, env);
    expect(k8s.auth).toEqual({
      method: 'kubernetes',
      role: 'app',
      jwtFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
      mount: 'kubernetes',
    });
  });

  it('cert auth needs a client certificate and an https address for the default transport', () => {
    const https = { VAULT_ADDR: 'https://vault.test:8200' };
    expect(problemsOf({ auth: { method: 'cert' } }, https)).toEqual([
      "tls.clientCert is required by auth method 'cert' (with tls.clientKey, or VAULT_CLIENT_CERT and VAULT_CLIENT_KEY)",
    ]);
    const withCert = { ...https, VAULT_CLIENT_CERT: '/c.pem', VAULT_CLIENT_KEY: '/k.pem' };
    const resolved = validateVaultConfigOptions(
      { auth: { method: 'cert', name: 'web' } },
      withCert,
    );
    expect(resolved.auth).toEqual({ method: 'cert', name: 'web', mount: 'cert' });
    expect(resolved.tls.clientCert).toBe('/c.pem');
    const tls = { clientCert: '/c.pem', clientKey: '/k.pem' };
    expect(problemsOf({ address: 'http://vault.test', auth: { method: 'cert' }, tls }, {})).toEqual(
      ["address must be https:// for auth method 'cert' (the certificate is sent over TLS)"],
    );
    // A transport of your own presents its own certificate; a disabled module needs none.
    const transport = { request: async () => ({ status: 200, headers: {}, body: {} }) };
    expect(() =>
      validateVaultConfigOptions({ auth: { method: 'cert' }, transport }, {}),
    ).not.toThrow();
    expect(() =>
      validateVaultConfigOptions({ auth: { method: 'cert' }, enabled: false }, {}),
    ).not.toThrow();
  });

  it('rejects path traversal and unsafe env values', () => {
    const env = { VAULT_ADDR: 'http://127.0.0.1:1' };
    expect(problemsOf({ sources: [{ mount: 'secret', path: 'a/../b' }] }, env)).toEqual([
      'sources[0].path must be a path without empty, . or .. segments',
    ]);
    expect(problemsOf({ env: '../x' }, env)).toEqual([
      'env must be one path segment of letters, digits, ".", "_" or "-"',
    ]);
    expect(problemsOf({ address: 'ftp://x' })).toEqual([
      'address must be an http:// or https:// URL',
    ]);
  });

  it('does not require an address when disabled or given a transport', () => {
    expect(validateVaultConfigOptions({ enabled: false }, {}).enabled).toBe(false);
    const transport = { request: async () => ({ status: 200, headers: {}, body: {} }) };
    expect(validateVaultConfigOptions({ transport }, {}).transport).toBe(transport);
  });

  it('never shows credentials in errors or in the resolved options', () => {
    const secret = 'canary-credential-123';
    const resolved = validateVaultConfigOptions(
      {
        address: 'http://127.0.0.1:1',
        auth: { method: 'approle', roleId: secret, secretId: secret },
        tls: { clientCert: '-----BEGIN CERTIFICATE-----', clientKey: secret },
      },
      {},
    );
    expect(inspect(resolved, { depth: 10 })).not.toContain(secret);
    expect(JSON.stringify(resolved)).not.toContain(secret);
    const problems = problemsOf(
      { auth: { method: 'approle', roleId: secret, secretId: secret, secretIdFile: 'f' } },
      {},
    );
    expect(problems.join()).not.toContain(secret);
  });
});
