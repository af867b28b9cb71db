import { describe, expect, it, jest } from '@jest/globals';
import { inspect } from 'node:util';
import { VaultConfigOptionsError } from '../errors/vault-config-options.error.js';
import type { Report } from './option-reader.js';
import { validateTlsOptions } from './validate-tls-options.js';

const CANARY = 'canary-s3cr3t-tls-client-key';

const resolve = (tls: unknown, env: NodeJS.ProcessEnv = {}) => {
  const report = jest.fn<Report>();
  const resolved = validateTlsOptions(tls === undefined ? {} : { tls }, env, report);
  return { resolved, problems: report.mock.calls };
};

describe('validateTlsOptions', () => {
  it('verifies certificates by default', () => {
    expect(resolve(undefined)).toEqual({ resolved: { rejectUnauthorized: true }, problems: [] });
  });

  it('reads the Vault CLI variables, options winning over them', () => {
    const env = {
      VAULT_CACERT: ' /etc/ca.pem ',
      VAULT_CLIENT_CERT: '/etc/cert.pem',
      VAULT_CLIENT_KEY: '/etc/key.pem',
      VAULT_SKIP_VERIFY: 'true',
    };
    const fromEnv = resolve(undefined, env).resolved;
    expect(fromEnv).toMatchObject({
      caCert: '/etc/ca.pem',
      clientCert: '/etc/cert.pem',
      rejectUnauthorized: false,
    });
    expect(fromEnv.clientKey?.reveal()).toBe('/etc/key.pem');
    const mine = resolve({ caCert: 'PEM', clientKey: 'mine', rejectUnauthorized: true }, env);
    expect(mine.resolved).toMatchObject({ caCert: 'PEM', rejectUnauthorized: true });
    expect(mine.resolved.clientKey?.reveal()).toBe('mine');
  });

  it("reads VAULT_SKIP_VERIFY as the Vault CLI does (Go's strconv.ParseBool)", () => {
    const rejects = (value: string) =>
      resolve(undefined, { VAULT_SKIP_VERIFY: value }).resolved.rejectUnauthorized;
    expect(['1', 't', 'T', 'TRUE', 'true', 'True', ' true '].map(rejects)).toEqual(
      Array(7).fill(false),
    );
    expect(['0', 'f', 'F', 'FALSE', 'false', 'False', ''].map(rejects)).toEqual(
      Array(7).fill(true),
    );
  });

  it('refuses a VAULT_SKIP_VERIFY the Vault CLI would refuse, naming the variable only', () => {
    for (const value of ['yes', 'on', 'tRUE', '2', `${CANARY}`]) {
      const { resolved, problems } = resolve(undefined, { VAULT_SKIP_VERIFY: value });
      expect(resolved.rejectUnauthorized).toBe(true);
      expect(problems).toEqual([
        ['VAULT_SKIP_VERIFY', 'must be 1, t, T, TRUE, true, True, 0, f, F, FALSE, false or False'],
      ]);
    }
  });

  it('reads VAULT_CAPATH (when no CA file is set) and VAULT_TLS_SERVER_NAME, options winning', () => {
    const env = { VAULT_CAPATH: '/etc/vault/cas', VAULT_TLS_SERVER_NAME: 'vault.internal' };
    expect(resolve(undefined, env).resolved).toEqual({
      caPath: '/etc/vault/cas',
      serverName: 'vault.internal',
      rejectUnauthorized: true,
    });
    // As the CLI: a CA file wins over a CA directory.
    expect(resolve(undefined, { ...env, VAULT_CACERT: '/etc/ca.pem' }).resolved).toEqual({
      caCert: '/etc/ca.pem',
      serverName: 'vault.internal',
      rejectUnauthorized: true,
    });
    expect(resolve({ caPath: '/mine', serverName: 'mine.example' }, env).resolved).toEqual({
      caPath: '/mine',
      serverName: 'mine.example',
      rejectUnauthorized: true,
    });
    expect(resolve(undefined, { VAULT_TLS_SERVER_NAME: 'bad name\r\n' }).problems).toEqual([
      [
        'tls.serverName (from VAULT_TLS_SERVER_NAME)',
        'must be a host name such as vault.example.com',
      ],
    ]);
    expect(resolve({ caPath: '', serverName: 3 }).problems).toEqual([
      ['tls.caPath', 'must be a directory path'],
      ['tls.serverName', 'must be a host name such as vault.example.com'],
    ]);
  });

  it('reports each mistake under its tls.* path', () => {
    expect(resolve('x', { VAULT_SKIP_VERIFY: '1' })).toEqual({
      resolved: { rejectUnauthorized: false },
      problems: [['tls', 'must be an object']],
    });
    expect(resolve({ caCert: '', rejectUnauthorized: 'no' }).problems).toEqual([
      ['tls.caCert', 'must be a PEM string or a file path'],
      ['tls.rejectUnauthorized', 'must be a boolean'],
    ]);
    expect(resolve({ clientCert: 'c' }).problems).toEqual([
      ['tls.clientCert', 'and tls.clientKey must be given together'],
    ]);
    expect(resolve(undefined, { VAULT_CLIENT_KEY: 'k' }).problems).toEqual([
      ['tls.clientCert', 'and tls.clientKey must be given together'],
    ]);
  });

  it('never shows the client key in the resolved options or in an error', () => {
    const { resolved } = resolve({ clientCert: 'c', clientKey: CANARY });
    expect(inspect(resolved, { depth: 10 })).not.toContain(CANARY);
    expect(JSON.stringify(resolved)).not.toContain(CANARY);
    const { problems } = resolve({ clientKey: CANARY, caCert: 7 });
    expect(problems).toHaveLength(2);
    const error = new VaultConfigOptionsError(
      problems.map(([option, message]) => ({ option, message })),
    );
    expect(error.message).not.toContain(CANARY);
    expect(JSON.stringify(error)).not.toContain(CANARY);
  });
});
