/**
 * The Vault CLI's TLS variables the library now honours as the CLI does (issue 21, tightening):
 * VAULT_CAPATH (a directory of PEM CA certificates, used when no CA file is set) and
 * VAULT_TLS_SERVER_NAME (the name sent in SNI and checked in Vault's certificate). Memory target:
 * the test server behind a TLS proxy (certificate for 127.0.0.1 and localhost); bao: -dev-tls.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadVaultSecrets,
  VaultConfigOptionsError,
  VaultUnavailableError,
  type VaultConfigOptions,
} from 'nestjs-vault-config';
import { canary, expectNoCanary } from '../support/canary.js';
import { CapturingLogger } from '../support/module-support.js';
import { startTlsTarget, TLS_FIXTURES, type TlsTarget } from '../support/tls-target.js';
import { selectedTargets } from '../support/vault-target.js';

const kinds = selectedTargets().filter((k): k is 'memory' | 'bao' => k !== 'external');
const describeTargets = kinds.length
  ? describe.each(kinds)
  : describe.skip.each(['memory' as const]);

describeTargets('VAULT_CAPATH and VAULT_TLS_SERVER_NAME (%s)', kind => {
  let target: TlsTarget;
  const secret = canary('tls-vars');
  const dir = mkdtempSync(join(tmpdir(), 'capath-'));
  const logger = new CapturingLogger();
  const outputs: string[] = [];

  beforeAll(async () => {
    target = await startTlsTarget(kind);
    const write = await target.admin('POST', 'secret/data/tls-vars/app', {
      data: { TLS_VARS_SECRET: secret },
    });
    expect(write.status).toBe(200);
    // The CA among an unrelated one, one level down as well: the CLI walks the directory.
    mkdirSync(join(dir, 'cas', 'more'), { recursive: true });
    copyFileSync(join(TLS_FIXTURES, 'other-ca.pem'), join(dir, 'cas', 'a-other.pem'));
    copyFileSync(target.caFile, join(dir, 'cas', 'more', 'vault-ca.pem'));
    mkdirSync(join(dir, 'wrong'));
    copyFileSync(join(TLS_FIXTURES, 'other-ca.pem'), join(dir, 'wrong', 'other.pem'));
  });
  afterAll(async () => {
    expectNoCanary([...outputs, ...logger.lines], [secret]);
    rmSync(dir, { recursive: true, force: true });
    await target?.stop();
  });

  const options: VaultConfigOptions = {
    sources: [{ mount: 'secret', path: 'tls-vars/app' }],
    retry: { attempts: 1 },
  };
  const env = (more: NodeJS.ProcessEnv) => ({
    VAULT_ADDR: target.url,
    VAULT_TOKEN: target.rootToken,
    ...more,
  });
  const rejection = async (extra: NodeJS.ProcessEnv) => {
    const error = await loadVaultSecrets(options, { env: env(extra), logger }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    outputs.push(String(error?.message), String(error?.stack));
    return error;
  };

  it('VAULT_CAPATH: trusts the CA found in the directory', async () => {
    const snapshot = await loadVaultSecrets(options, {
      env: env({ VAULT_CAPATH: join(dir, 'cas') }),
      logger,
    });
    expect(snapshot.get('TLS_VARS_SECRET')).toBe(secret);
  });

  it('VAULT_CAPATH without the CA: the handshake is refused', async () => {
    const error = await rejection({ VAULT_CAPATH: join(dir, 'wrong') });
    expect(error).toBeInstanceOf(VaultUnavailableError);
    expect((error as VaultUnavailableError).errorCode).toMatch(/CERT|SELF_SIGNED|UNABLE_TO/);
  });

  it('VAULT_CAPATH that is not a directory of certificates: an options error naming it', async () => {
    const error = await rejection({ VAULT_CAPATH: join(dir, 'missing') });
    expect(error).toBeInstanceOf(VaultConfigOptionsError);
    expect((error as VaultConfigOptionsError).option).toBe('tls.caPath');
  });

  it('VAULT_TLS_SERVER_NAME: the name checked in the certificate, not the host of the address', async () => {
    const ok = await loadVaultSecrets(options, {
      env: env({ VAULT_CACERT: target.caFile, VAULT_TLS_SERVER_NAME: 'localhost' }),
      logger,
    });
    expect(ok.get('TLS_VARS_SECRET')).toBe(secret);
    const error = await rejection({
      VAULT_CACERT: target.caFile,
      VAULT_TLS_SERVER_NAME: 'not-vault.example.com',
    });
    expect(error).toBeInstanceOf(VaultUnavailableError);
    expect((error as VaultUnavailableError).errorCode).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });
});

describe('an http:// address off loopback', () => {
  it('logs one warning at boot (no address, no value); loopback logs none', async () => {
    const logger = new CapturingLogger();
    const token = canary('plain-http-token');
    const load = (address: string | string[]) =>
      loadVaultSecrets(
        { address, auth: { method: 'token', token }, sources: [], retry: { attempts: 1 } },
        { logger, env: {} },
      ).catch(() => undefined);
    await load(['http://vault.invalid:8200', 'http://vault-2.invalid:8200']);
    const warnings = logger.lines.filter(l => l.startsWith('warn '));
    expect(warnings).toEqual([
      expect.stringContaining('plain http:// on a host that is not loopback'),
    ]);
    expect(warnings[0]).not.toContain('vault.invalid');
    logger.lines.length = 0;
    await load('http://127.0.0.1:1');
    await load('http://localhost:1');
    await load('http://[::1]:1');
    expect(logger.lines.filter(l => l.includes('http://'))).toEqual([]);
    expectNoCanary(logger.lines, [token]);
  });
});
