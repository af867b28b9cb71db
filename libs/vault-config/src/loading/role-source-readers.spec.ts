/**
 * The PKI and static-role readers on real HTTP against the test server: what they send, what they
 * serve, and how they treat odd or refusing answers (typed errors, never a key or password).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { VaultTestServer } from '../../../vault-testing/src/index.js';
import { HttpVaultTransport } from '../client/http-vault.transport.js';
import { VaultClient } from '../client/vault.client.js';
import { VaultPermissionError } from '../errors/vault-permission.error.js';
import { VaultResponseError } from '../errors/vault-response.error.js';
import { VaultSecretNotFoundError } from '../errors/vault-secret-not-found.error.js';
import type {
  ResolvedPkiSource,
  ResolvedStaticRoleSource,
} from '../options/resolved-vault-config-options.interface.js';
import { createLimiter } from './concurrency-limiter.js';
import { issueCertificate } from './pki-certificate-reader.js';
import { readStaticRole } from './static-role-reader.js';

const PKI: ResolvedPkiSource = {
  type: 'pki',
  mount: 'pki',
  role: 'web',
  path: 'issue/web',
  commonName: 'app.example.com',
  altNames: ['api.example.com'],
  ipSans: ['127.0.0.1'],
  ttl: '10m',
  prefix: '',
  required: true,
};
const STATIC: ResolvedStaticRoleSource = {
  type: 'static',
  mount: 'database',
  role: 'app',
  path: 'static-creds/app',
  prefix: 'DB_',
  required: true,
};
const limit = createLimiter(4);

/** Every thrown error as a user would see it: message, JSON and inspect. */
const shown = (error: unknown) =>
  `${(error as Error).message}\n${JSON.stringify(error)}\n${inspect(error)}`;

describe('PKI and static-role readers (real HTTP, in-memory Vault)', () => {
  let server: VaultTestServer;
  let client: VaultClient;
  const post = async (path: string, body: unknown) => {
    const res = await client.request({ method: 'POST', path, body });
    if (res.status >= 300) throw new Error(`${path}: ${res.status}`);
    return res.body as { data: Record<string, unknown> };
  };

  beforeAll(async () => {
    server = await VaultTestServer.start({ rootToken: 'root' });
    client = new VaultClient({
      transport: new HttpVaultTransport({ address: server.url, timeoutMs: 5000 }),
      token: 'root',
      retry: { attempts: 1 },
    });
    await post('sys/mounts/pki', { type: 'pki' });
    await post('pki/root/generate/internal', { common_name: 'Spec CA', key_type: 'ec' });
    await post('pki/roles/web', {
      allowed_domains: ['example.com'],
      allow_subdomains: true,
      key_type: 'ec',
      max_ttl: '1h',
    });
    await post('sys/mounts/database', { type: 'database' });
    await post('database/config/pg', {
      plugin_name: 'postgresql-database-plugin',
      connection_url: 'postgresql://{{username}}:{{password}}@127.0.0.1:5432/postgres',
      username: 'vault_admin',
      password: 'not-used',
      allowed_roles: ['app'],
    });
    await post('database/static-roles/app', {
      db_name: 'pg',
      username: 'app_user',
      rotation_period: '1h',
    });
  });
  afterEach(() => server.faults.clear());
  afterAll(async () => {
    await client.close();
    await server.stop();
  });

  it('issues a certificate for the source and serves the four PEM keys', async () => {
    const before = Date.now();
    const result = await issueCertificate(client, limit, PKI);
    const data = result.data as Record<string, string>;
    expect(Object.keys(data).sort()).toEqual([
      'CA_CHAIN',
      'CERTIFICATE',
      'ISSUING_CA',
      'PRIVATE_KEY',
    ]);
    const cert = new X509Certificate(data.CERTIFICATE);
    expect(cert.subject).toBe('CN=app.example.com');
    expect(cert.subjectAltName).toBe(
      'DNS:app.example.com, DNS:api.example.com, IP Address:127.0.0.1',
    );
    expect(cert.checkPrivateKey(createPrivateKey(data.PRIVATE_KEY))).toBe(true);
    expect(cert.checkIssued(new X509Certificate(data.ISSUING_CA))).toBe(true);
    expect(data.CA_CHAIN).toBe(data.ISSUING_CA);
    expect(result.certificate?.serialNumber.replace(/:/g, '').toUpperCase()).toBe(
      cert.serialNumber,
    );
    expect(result.certificate?.expiresAt).toBe(Date.parse(cert.validTo));
    expect(result.certificate!.issuedAt).toBeGreaterThanOrEqual(before);
    expect(Math.abs(result.certificate!.expiresAt - before - 600_000)).toBeLessThan(3000);
    expect(result.lease).toBeUndefined();
  });

  it('refuses a PKI answer it cannot trust, without quoting it', async () => {
    const real = (await post('pki/issue/web', { common_name: 'x.example.com', ttl: '10m' })).data;
    const other = (await post('pki/issue/web', { common_name: 'y.example.com', ttl: '10m' })).data;
    const answer = (data: Record<string, unknown>) =>
      server.faults.inject({ path: '/v1/pki/issue/web', status: 200, body: { data }, times: 1 });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...real, private_key: undefined }, 'a PKI answer needs PEM certificate'],
      [{ ...real, ca_chain: ['not a pem'] }, 'a PKI answer needs PEM certificate'],
      [{ ...real, expiration: 'soon' }, 'a PKI answer needs PEM certificate'],
      [{ ...real, serial_number: '../../sys' }, 'a PKI answer needs PEM certificate'],
      [
        { ...real, private_key: other.private_key },
        'the private key does not match the certificate',
      ],
      [
        { ...real, certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' },
        'does not parse',
      ],
      [
        { ...real, expiration: Math.floor(Date.now() / 1000) - 5 },
        'the certificate has already expired',
      ],
    ];
    for (const [data, reason] of cases) {
      answer(data);
      const error = await issueCertificate(client, limit, PKI).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VaultResponseError);
      expect((error as VaultResponseError).reason).toContain(reason);
      expect((error as VaultResponseError).path).toBe('pki/issue/web');
      for (const secret of [real.private_key, other.private_key] as string[]) {
        expect(shown(error)).not.toContain(secret.split('\n')[1]);
      }
    }
  });

  it("reports Vault's refusal (400) and a policy denial (403) as typed errors", async () => {
    const refused = await issueCertificate(client, limit, {
      ...PKI,
      commonName: 'app.other.com',
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(VaultResponseError);
    expect((refused as VaultResponseError).vaultErrors).toEqual([
      'common name app.other.com not allowed by this role',
    ]);
    expect((refused as Error).message).toContain('Vault refused to issue the certificate');
    server.faults.inject({ path: '/v1/pki/issue/web', status: 403, times: 1 });
    const denied = await issueCertificate(client, limit, PKI).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(VaultPermissionError);
    expect((denied as Error).message).toContain('pki/issue/web');
  });

  it('reads a static role: username and password, and where its rotation stands', async () => {
    const before = Date.now();
    const result = await readStaticRole(client, limit, STATIC);
    expect(Object.keys(result.data!).sort()).toEqual(['password', 'username']);
    expect(result.data!.username).toBe('app_user');
    expect(result.rotation).toEqual({
      lastRotation: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      ttlS: expect.any(Number),
      rotationPeriodS: 3600,
      readAt: expect.any(Number),
    });
    expect(result.rotation!.ttlS).toBeGreaterThan(3590);
    expect(result.rotation!.readAt).toBeGreaterThanOrEqual(before);
  });

  it('refuses odd static-creds answers and names a missing role', async () => {
    const password = 'canary-static-password-7f3a9c';
    const answer = (data: Record<string, unknown>) =>
      server.faults.inject({
        path: '/v1/database/static-creds/app',
        status: 200,
        body: { data },
        times: 1,
      });
    const good = { username: 'u', password, last_vault_rotation: '2026-01-01T00:00:00Z', ttl: 5 };
    for (const data of [
      { ...good, ttl: '5' },
      { ...good, ttl: -1 },
      { ...good, password: undefined },
      { ...good, last_vault_rotation: 3 },
    ]) {
      answer(data);
      const error = await readStaticRole(client, limit, STATIC).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VaultResponseError);
      expect(shown(error)).not.toContain(password);
    }
    const missing = await readStaticRole(client, limit, {
      ...STATIC,
      role: 'nope',
      path: 'static-creds/nope',
    }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(VaultResponseError);
    expect((missing as Error).message).toContain(
      'Vault has no static role "nope" at database/ (vault write database/static-roles/nope ...)',
    );
    const unmounted = await readStaticRole(client, limit, { ...STATIC, mount: 'nodb' }).catch(
      (e: unknown) => e,
    );
    expect(unmounted).toBeInstanceOf(VaultSecretNotFoundError);
  });
});
