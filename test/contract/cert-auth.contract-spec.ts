/**
 * TLS certificate auth over https, against the test server's TLS mode and `bao server -dev-tls`:
 * the same roles, logins, refusals and renewals, with client certificates of a test PKI.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { describeTargets, uniq } from '../support/contract-helpers.js';
import { startMtlsTarget, type MtlsTarget } from '../support/mtls-target.js';
import { keyIdsOf, makeTestPki, type TestPki } from '../support/test-pki.js';

const INVALID = { errors: ['invalid certificate or no client certificate supplied'] };
const NO_CERT = { errors: ['no client certificate found'] };

describeTargets(
  'cert auth',
  kind => {
    let t: MtlsTarget;
    let pki: TestPki;
    beforeAll(async () => {
      pki = makeTestPki();
      t = await startMtlsTarget(kind as 'memory' | 'bao', pki);
      expect((await t.call('POST', 'sys/auth/cert', { body: { type: 'cert' } })).status).toBe(204);
      const role = await t.call('POST', 'auth/cert/certs/billing', {
        body: {
          certificate: pki.ca.cert,
          display_name: 'billing',
          token_policies: ['default'],
          token_ttl: '30s',
          token_max_ttl: '1m',
        },
      });
      expect(role.status).toBe(204);
    });
    afterAll(async () => {
      await t?.stop();
      pki?.remove();
    });

    const login = (body: unknown, cert = pki.client) =>
      t.call('POST', 'auth/cert/login', { token: null, body, cert });

    it('a client that resumes its TLS session on a new connection is answered, as on the first', async () => {
      // Node's https agents cache the session and offer it on each new connection (here: one per
      // request); Vault's listener resumes it or does a full handshake, never an alert.
      const agent = new Agent({ keepAlive: false, ca: readFileSync(t.caFile, 'utf8') });
      const health = () =>
        new Promise<number>((resolve, reject) => {
          const req = request(`${t.url}/v1/sys/health`, { agent }, res => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', reject);
          req.end();
        });
      try {
        expect([await health(), await health(), await health()]).toEqual([200, 200, 200]);
      } finally {
        agent.destroy();
      }
    });

    it('reads a certificate role back and lists it; a bad PEM is refused', async () => {
      const read = await t.call('GET', 'auth/cert/certs/billing');
      expect(read.status).toBe(200);
      expect(read.body.data).toMatchObject({
        certificate: pki.ca.cert,
        display_name: 'billing',
        allowed_common_names: null,
        token_policies: ['default'],
        token_ttl: 30,
        token_max_ttl: 60,
        token_type: 'default',
      });
      expect((await t.call('LIST', 'auth/cert/certs')).body.data.keys).toEqual(['billing']);
      expect((await t.call('GET', 'auth/cert/certs/missing')).status).toBe(404);
      const bad = await t.call('POST', `auth/cert/certs/${uniq('bad')}`, {
        body: { certificate: 'not a certificate' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ errors: ['failed to parse certificate'] });
    });

    it('logs in with a certificate the role trusts, by name or not: its identity in metadata', async () => {
      const leaf = new X509Certificate(pki.client.cert);
      const ids = keyIdsOf(pki.client.certFile);
      expect(ids.subjectKeyId).toMatch(/^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
      for (const body of [{ name: 'billing' }, {}]) {
        const res = await login(body);
        expect(res.status).toBe(200);
        expect(res.body.auth).toMatchObject({
          policies: ['default'],
          lease_duration: 30,
          renewable: true,
          orphan: true,
          metadata: {
            cert_name: 'billing',
            common_name: 'billing.client',
            serial_number: BigInt(`0x${leaf.serialNumber}`).toString(10),
            subject_key_id: ids.subjectKeyId,
            authority_key_id: ids.authorityKeyId,
          },
        });
      }
    });

    it('refuses an untrusted certificate, an unknown role name, and no certificate', async () => {
      expect(await login({ name: 'billing' }, pki.untrustedClient)).toMatchObject({
        status: 400,
        body: INVALID,
      });
      expect(await login({}, pki.untrustedClient)).toMatchObject({ status: 400, body: INVALID });
      expect(await login({ name: 'nope' })).toMatchObject({ status: 400, body: INVALID });
      const none = await t.call('POST', 'auth/cert/login', {
        token: null,
        body: { name: 'billing' },
      });
      expect(none).toMatchObject({ status: 400, body: NO_CERT });
    });

    it('renews only over a connection presenting the certificate again', async () => {
      const token = (await login({ name: 'billing' })).body.auth.client_token as string;
      const renew = (cert?: typeof pki.client) =>
        t.call('POST', 'auth/token/renew-self', {
          token,
          body: { increment: '30s' },
          ...(cert ? { cert } : {}),
        });
      expect(await renew()).toMatchObject({ status: 400, body: NO_CERT });
      expect(await renew(pki.untrustedClient)).toMatchObject({ status: 400, body: INVALID });
      const ok = await renew(pki.client);
      expect(ok.status).toBe(200);
      expect(ok.body.auth.lease_duration).toBeGreaterThan(25);
      expect(ok.body.auth.lease_duration).toBeLessThanOrEqual(30);
    });
  },
  ['memory', 'bao'],
);
