/**
 * Vault over https: the loader, the health indicator and `vault-config doctor` with a private CA
 * (tls.caCert, VAULT_CACERT), an untrusted certificate (a typed error saying what to set, no
 * retries), and VAULT_SKIP_VERIFY (works, and says it is unsafe). Memory target: the in-memory
 * server behind a TLS proxy; bao target: `bao server -dev -dev-tls`.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  loadVaultSecrets,
  VaultUnavailableError,
  type VaultConfigOptions,
} from 'nestjs-vault-config';
import { freePort, selectedTargets } from '../support/vault-target.js';
import { startTlsTarget, TLS_FIXTURES, type TlsTarget } from '../support/tls-target.js';
import { cli } from '../support/cli-support.js';
import { bootHealthApp, getHealth } from '../support/health-app.js';
import { CapturingLogger } from '../support/module-support.js';
import { canary, expectNoCanary } from '../support/canary.js';

const kinds = selectedTargets().filter((k): k is 'memory' | 'bao' => k !== 'external');
const describeTargets = kinds.length
  ? describe.each(kinds)
  : describe.skip.each(['memory' as const]);

describeTargets('Vault over https (%s)', kind => {
  let target: TlsTarget;
  const secret = canary('tls');
  const logger = new CapturingLogger();
  const outputs: string[] = [];

  beforeAll(async () => {
    target = await startTlsTarget(kind);
    const write = await target.admin('POST', 'secret/data/tls/app', {
      data: { TLS_SECRET: secret },
    });
    expect(write.status).toBe(200);
  });
  afterAll(async () => {
    expectNoCanary([...outputs, ...logger.lines], [secret]);
    await target?.stop();
  });

  const options = (more: Partial<VaultConfigOptions> = {}): VaultConfigOptions => ({
    address: target.url,
    auth: { method: 'token', token: target.rootToken },
    sources: [{ mount: 'secret', path: 'tls/app' }],
    ...more,
  });

  it('reads with tls.caCert (a file) or VAULT_CACERT (the Vault CLI variable)', async () => {
    const fromOption = await loadVaultSecrets(options({ tls: { caCert: target.caFile } }), {
      logger,
      env: {},
    });
    expect(fromOption.get('TLS_SECRET')).toBe(secret);
    const fromEnv = await loadVaultSecrets(
      { sources: [{ mount: 'secret', path: 'tls/app' }] },
      {
        logger,
        env: { VAULT_ADDR: target.url, VAULT_TOKEN: target.rootToken, VAULT_CACERT: target.caFile },
      },
    );
    expect(fromEnv.get('TLS_SECRET')).toBe(secret);
  });

  it.each([
    ['no CA given (system CAs only)', {}],
    ['another CA', { tls: { caCert: join(TLS_FIXTURES, 'other-ca.pem') } }],
  ])(
    'an untrusted certificate (%s): one attempt, a typed error that says what to set',
    async (_, more) => {
      const error = await loadVaultSecrets(options(more), { logger, env: {} }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(VaultUnavailableError);
      const failure = error as VaultUnavailableError;
      expect(failure.errorCode).toMatch(/CERT|SELF_SIGNED|UNABLE_TO/);
      expect(failure.attempts).toBe(1); // a rejected certificate is rejected again: no retries
      expect(failure.message).toContain('set VAULT_CACERT (or tls.caCert)');
      outputs.push(failure.message, String(failure.stack));
    },
  );

  it('VAULT_SKIP_VERIFY=1 reads, with a warning that verification is off', async () => {
    const before = logger.lines.length;
    const snapshot = await loadVaultSecrets(options(), { logger, env: { VAULT_SKIP_VERIFY: '1' } });
    expect(snapshot.get('TLS_SECRET')).toBe(secret);
    const warnings = logger.lines.slice(before).filter(l => l.startsWith('warn '));
    expect(warnings).toEqual([expect.stringContaining('TLS certificate verification is off')]);
  });

  it('several addresses: the https one behind a refused http one, and the warning still given', async () => {
    const refused = `http://127.0.0.1:${await freePort()}`;
    const before = logger.lines.length;
    const snapshot = await loadVaultSecrets(options({ address: [refused, target.url] }), {
      logger,
      env: { VAULT_SKIP_VERIFY: '1' },
    });
    expect(snapshot.get('TLS_SECRET')).toBe(secret);
    const warnings = logger.lines.slice(before).filter(l => l.startsWith('warn '));
    expect(warnings).toEqual([expect.stringContaining('TLS certificate verification is off')]);
  });

  it('the health indicator probes over https with the same TLS settings', async () => {
    const app = await bootHealthApp(
      { ...options({ tls: { caCert: target.caFile } }), healthCacheMs: 100 },
      logger,
    );
    try {
      const up = await getHealth(app, outputs);
      expect(up.status).toBe(200);
      expect(up.body.info.vault).toMatchObject({ status: 'up', sealed: false });
    } finally {
      await app.close();
    }
  });

  it('doctor: tls ok with VAULT_CACERT; without it the handshake fails with the fix', async () => {
    const env = { VAULT_ADDR: target.url, VAULT_TOKEN: target.rootToken };
    const ok = await cli(['doctor', '--path', 'tls/app'], {
      env: { ...env, VAULT_CACERT: target.caFile },
      cwd: process.cwd(),
    });
    expect(ok.stdout).toMatch(/^tls\s+ok\s+https, certificate verified against VAULT_CACERT/m);
    expect(ok.stdout).toMatch(/^read secret\/tls\/app\s+ok/m);
    const failed = await cli(['doctor', '--path', 'tls/app'], { env, cwd: process.cwd() });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^tls\s+fail\s+TLS handshake failed \(\S+\)\s+set VAULT_CACERT/m);
    outputs.push(ok.stdout, ok.stderr, failed.stdout, failed.stderr);
  });
});
