import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { resolveCliOptions } from './cli-vault-connection.js';
import { CliUsageError } from './errors/cli-usage.error.js';

const ADDR = { VAULT_ADDR: 'https://vault.test:8200' };
const CANARY = 'canary-cli-password-77a1';

describe('resolveCliOptions: --auth for the login methods', () => {
  it('jwt: --role and --jwt-file, and --auth-mount', () => {
    const resolved = resolveCliOptions(
      'doctor',
      { auth: 'jwt', role: 'deploy', 'jwt-file': '/run/ci/jwt', 'auth-mount': 'gh' },
      ADDR,
    );
    expect(resolved.auth).toEqual({
      method: 'jwt',
      role: 'deploy',
      jwtFile: '/run/ci/jwt',
      mount: 'gh',
    });
  });

  it.each(['userpass', 'ldap'])('%s: VAULT_USERNAME and VAULT_PASSWORD, never shown', method => {
    const resolved = resolveCliOptions(
      'doctor',
      { auth: method },
      { ...ADDR, VAULT_USERNAME: ' alice ', VAULT_PASSWORD: CANARY },
    );
    expect(resolved.auth).toMatchObject({ method, username: 'alice', mount: method });
    expect(
      resolved.auth.method === method &&
        'password' in resolved.auth &&
        resolved.auth.password?.reveal(),
    ).toBe(CANARY);
    expect(inspect(resolved, { depth: 10 })).not.toContain(CANARY);
    const missing = (() => {
      try {
        resolveCliOptions('doctor', { auth: method }, { ...ADDR, VAULT_USERNAME: 'alice' });
      } catch (e) {
        return e;
      }
    })();
    expect(missing).toBeInstanceOf(CliUsageError);
    expect((missing as Error).message).toContain(
      `--auth ${method} needs VAULT_USERNAME and VAULT_PASSWORD`,
    );
  });

  it('cert: the client certificate from VAULT_CLIENT_CERT / VAULT_CLIENT_KEY', () => {
    const resolved = resolveCliOptions(
      'doctor',
      { auth: 'cert' },
      {
        ...ADDR,
        VAULT_CLIENT_CERT: '/etc/vault/client.pem',
        VAULT_CLIENT_KEY: '/etc/vault/client.key',
      },
    );
    expect(resolved.auth).toEqual({ method: 'cert', mount: 'cert' });
    expect(resolved.tls.clientCert).toBe('/etc/vault/client.pem');
    expect(() => resolveCliOptions('doctor', { auth: 'cert' }, ADDR)).toThrow(
      "tls.clientCert is required by auth method 'cert'",
    );
  });
});
