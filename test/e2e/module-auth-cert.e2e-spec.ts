/**
 * VaultConfigModule with TLS certificate auth over https, against the test server's TLS mode and
 * `bao server -dev -dev-tls`: the client certificate of a test PKI logs in, renewals present it
 * again, a new login follows the max TTL, an untrusted certificate is refused at boot, and no
 * key material, secret or token shows up in any log line, health body or error.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { SecretsService, VaultAuthError, VaultConfigOptionsError } from 'nestjs-vault-config';
import { canary } from '../support/canary.js';
import { describeTargets } from '../support/contract-helpers.js';
import { LoginSuite, readPolicyHcl } from '../support/login-e2e.js';
import { startMtlsTarget, type MtlsTarget } from '../support/mtls-target.js';
import { makeTestPki, type TestPki } from '../support/test-pki.js';

describeTargets(
  'cert auth through VaultConfigModule',
  kind => {
    let target: MtlsTarget;
    let pki: TestPki;
    const secret = canary('cert-secret');
    const suite = new LoginSuite(() => ({
      address: target.url,
      tls: {
        caCert: target.caFile,
        clientCert: pki.client.certFile,
        clientKey: pki.client.keyFile,
      },
      auth: { method: 'cert', name: 'billing' },
      sources: [{ mount: 'secret', path: 'login-cert/app', kv: 2 }],
      healthCacheMs: 100,
    }));

    beforeAll(async () => {
      pki = makeTestPki();
      target = await startMtlsTarget(kind as 'memory' | 'bao', pki);
      const ok = async (method: string, path: string, body: unknown) =>
        expect((await target.call(method, path, { body })).status).toBeLessThan(300);
      await ok('POST', 'secret/data/login-cert/app', { data: { CERT_APP_SECRET: secret } });
      await ok('PUT', 'sys/policies/acl/login-cert', { policy: readPolicyHcl('login-cert') });
      await ok('POST', 'sys/auth/cert', { type: 'cert' });
      await ok('POST', 'auth/cert/certs/billing', {
        certificate: pki.ca.cert,
        token_policies: ['login-cert'],
        token_ttl: '4s',
        token_max_ttl: '6s',
      });
    });
    afterAll(async () => {
      // The private keys' base64 lines: no part of a key may be printed.
      const keyLines = [pki.client.key, pki.untrustedClient.key].flatMap(k =>
        k.split('\n').filter(l => l.length > 20 && !l.startsWith('-----')),
      );
      await suite.finish([secret, ...keyLines], async () => {
        await target?.stop();
        pki?.remove();
      });
    });

    it('logs in with the client certificate, renews over it, logs in again after the max TTL', async () => {
      const app = await suite.boot({});
      expect(app.get(SecretsService).get('CERT_APP_SECRET')).toBe(secret);
      expect((await suite.health(app)).status).toBe(200);
      await suite.expectRenewalThenRelogin(app, 'cert', 'CERT_APP_SECRET', secret);
    });

    it('an untrusted client certificate is refused by the login with a VaultAuthError', async () => {
      const error = await suite.bootFailure({
        tls: {
          caCert: target.caFile,
          clientCert: pki.untrustedClient.certFile,
          clientKey: pki.untrustedClient.keyFile,
        },
      });
      expect(error).toBeInstanceOf(VaultAuthError);
      expect(error.message).toBe(
        'Vault cert authentication failed: Vault answered 400 at auth/cert/login; check that the ' +
          "client certificate (tls.clientCert / VAULT_CLIENT_CERT) is signed by the role's " +
          'certificate and not expired (invalid certificate or no client certificate supplied).',
      );
    });

    it('without a client certificate the options are refused before anything is sent', async () => {
      const error = await suite.bootFailure({ tls: { caCert: target.caFile } });
      expect(error).toBeInstanceOf(VaultConfigOptionsError);
      expect(error.message).toContain("tls.clientCert is required by auth method 'cert'");
    });
  },
  ['memory', 'bao'],
);
