/**
 * VaultSecretsRuntime with a PKI source and a database static role (the in-memory Vault's pki
 * and database engines) on real HTTP: certificate re-issue with its change event, re-reads after
 * a rotation, refresh leaving a certificate alone, revocation on shutdown. Each test has its own
 * server; they run at once (mostly timers).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect } from '@jest/globals';
import type {
  VaultPkiSource,
  VaultStaticRoleSource,
} from '../interfaces/vault-config-options.interface.js';
import type { VaultSecretsRuntime } from './vault-secrets-runtime.js';
import { fixtureTest, RuntimeFixture, sleep } from './vault-secrets-runtime.spec-helpers.js';

const ISSUE = 'POST /v1/pki/issue/web';
const STATIC_CREDS = 'GET /v1/database/static-creds/app';
const PKI_SOURCE: VaultPkiSource = {
  type: 'pki',
  mount: 'pki',
  role: 'web',
  commonName: 'app.example.com',
  altNames: ['api.example.com'],
  prefix: 'TLS_',
};
const STATIC_SOURCE: VaultStaticRoleSource = {
  type: 'static',
  mount: 'database',
  role: 'app',
  prefix: 'DB_',
};

class Fixture extends RuntimeFixture {
  static async start(): Promise<Fixture> {
    const v = new Fixture(await RuntimeFixture.startServer(), {
      sources: [PKI_SOURCE],
      renewToken: false,
    });
    await v.call('POST', 'sys/mounts/pki', { type: 'pki' });
    await v.call('POST', 'pki/root/generate/internal', {
      common_name: 'Runtime CA',
      key_type: 'ec',
    });
    await v.call('POST', 'pki/roles/web', {
      allowed_domains: ['example.com'],
      allow_subdomains: true,
      key_type: 'ec',
      ttl: '3s',
      max_ttl: '1h',
    });
    await v.mountDatabase(['app']);
    await v.call('POST', 'database/static-roles/app', {
      db_name: 'pg',
      username: 'app_user',
      rotation_period: '5s',
    });
    return v;
  }

  value(runtime: VaultSecretsRuntime, key: string): string {
    const value = String(runtime.snapshot.get(key));
    this.secrets.push(value);
    return value;
  }
  async revocationTime(certificatePem: string): Promise<number> {
    const serial = new X509Certificate(certificatePem).serialNumber.match(/../g)!.join(':');
    const read = await this.root.read<{ revocation_time: number }>(
      `pki/cert/${serial.toLowerCase()}`,
    );
    return read!.data.revocation_time;
  }
}

const test = fixtureTest(() => Fixture.start());

describe('VaultSecretsRuntime: PKI and static-role sources (real HTTP, in-memory Vault)', () => {
  test('a certificate: served at boot, left alone by refresh, re-issued at ~2/3 of its life with a certificate event', async v => {
    const runtime = await v.runtime();
    const first = v.value(runtime, 'TLS_CERTIFICATE');
    const cert = new X509Certificate(first);
    expect(cert.subject).toBe('CN=app.example.com');
    expect(cert.subjectAltName).toBe('DNS:app.example.com, DNS:api.example.com');
    expect(cert.checkPrivateKey(createPrivateKey(v.value(runtime, 'TLS_PRIVATE_KEY')))).toBe(true);
    expect(cert.checkIssued(new X509Certificate(v.value(runtime, 'TLS_ISSUING_CA')))).toBe(true);
    expect(runtime.snapshot.describe().find(d => d.key === 'TLS_CERTIFICATE')).toMatchObject({
      source: 'vault',
      mount: 'pki',
      path: 'issue/web',
    });
    await expect(runtime.refresh()).resolves.toMatchObject({ changed: false });
    expect(v.requests(ISSUE)).toBe(1);
    const lifetime = Date.parse(cert.validTo) - Date.now();
    await sleep(lifetime * 0.67 + 400);
    expect(v.requests(ISSUE)).toBe(2);
    expect(v.events.map(e => e.reason)).toEqual(['certificate']);
    expect(v.events[0].changes.map(c => `${c.key} ${c.change}`).sort()).toEqual([
      'TLS_CERTIFICATE updated',
      'TLS_PRIVATE_KEY updated',
    ]);
    const second = new X509Certificate(v.value(runtime, 'TLS_CERTIFICATE'));
    expect(second.serialNumber).not.toBe(cert.serialNumber);
    expect(Date.parse(second.validTo)).toBeGreaterThan(Date.parse(cert.validTo));
    expect(Date.now()).toBeLessThan(Date.parse(cert.validTo)); // within the old one's lifetime
    expect(second.checkPrivateKey(createPrivateKey(v.value(runtime, 'TLS_PRIVATE_KEY')))).toBe(
      true,
    );
    expect(v.logger.lines('log').at(-1)).toBe(
      'Vault secrets changed (certificate): 2 key(s): TLS_CERTIFICATE updated, TLS_PRIVATE_KEY updated',
    );
  });

  test('revokeOnShutdown revokes the current certificate, not the ones it replaced; without it none', async v => {
    const kept = await v.runtime();
    const keptPem = v.value(kept, 'TLS_CERTIFICATE');
    await kept.close();
    expect(await v.revocationTime(keptPem)).toBe(0);

    const runtime = await v.runtime({ revokeOnShutdown: true });
    const first = v.value(runtime, 'TLS_CERTIFICATE');
    await sleep(Date.parse(new X509Certificate(first).validTo) - Date.now() - 500);
    const current = v.value(runtime, 'TLS_CERTIFICATE');
    expect(current).not.toBe(first);
    await runtime.close();
    expect(await v.revocationTime(current)).toBeGreaterThan(0);
    expect(await v.revocationTime(first)).toBe(0);
    expect(v.logger.lines('warn')).toEqual([]);
  });

  test('a refused revocation on shutdown is one warning line', async v => {
    const runtime = await v.runtime({ revokeOnShutdown: true });
    v.server.faults.inject({ path: '/v1/pki/revoke', status: 403 });
    await runtime.close();
    expect(v.logger.lines('warn')).toEqual([
      '1 certificate(s) could not be revoked; they stay valid until they expire',
    ]);
  });

  test('a failed re-issue retries with backoff; health shows it meanwhile', async v => {
    const runtime = await v.runtime();
    const first = v.value(runtime, 'TLS_CERTIFICATE');
    const fault = v.server.faults.inject({ path: '/v1/pki/issue/web', status: 503 });
    const lifetime = Date.parse(new X509Certificate(first).validTo) - Date.now();
    await sleep(lifetime * 0.67 + 200);
    expect(runtime.status().lastError).toMatchObject({
      error: 'VaultUnavailableError',
      during: 'certificate renewal',
    });
    expect(runtime.snapshot.get('TLS_CERTIFICATE')).toBe(first);
    fault.remove();
    await sleep(1300);
    expect(runtime.snapshot.get('TLS_CERTIFICATE')).not.toBe(first);
    expect(runtime.status().lastError).toBeUndefined();
    expect(v.logger.lines('warn')[0]).toMatch(
      /^Vault certificate renewal failed \(VaultUnavailableError: .*\); retrying with backoff$/,
    );
    expect(v.logger.lines('log').at(-1)).toMatch(
      /^Vault certificate renewal recovered after \d failed attempt\(s\)$/,
    );
  });

  test('a static role: read again right after Vault rotates it, with a rotation event', async v => {
    v.server.clock.advance(4200); // the boot read sees the rotation due in < 1 s
    const runtime = await v.runtime({ sources: [STATIC_SOURCE] });
    const first = v.value(runtime, 'DB_password');
    expect(runtime.snapshot.get('DB_username')).toBe('app_user');
    expect(runtime.snapshot.describe().find(d => d.key === 'DB_password')).toMatchObject({
      mount: 'database',
      path: 'static-creds/app',
    });
    await sleep(2300); // due at ≤ 0.8 s, read 1–2 s later
    expect(v.events.map(e => e.reason)).toEqual(['rotation']);
    expect(v.events[0].changes.map(c => `${c.key} ${c.change}`)).toEqual(['DB_password updated']);
    const now = (await v.root.read<{ password: string }>('database/static-creds/app'))!.data;
    expect(v.value(runtime, 'DB_password')).toBe(now.password);
    expect(now.password).not.toBe(first);
    expect(v.requests(STATIC_CREDS)).toBe(3); // boot, after the rotation, ours just now
  });

  test('a rotation Vault has not done yet: read again with backoff until it shows', async v => {
    v.server.clock.advance(4200);
    const runtime = await v.runtime({ sources: [STATIC_SOURCE] });
    const first = v.value(runtime, 'DB_password');
    const stale = (await v.root.read('database/static-creds/app'))!.data;
    // The next two reads answer as a Vault whose rotation queue has not got to it yet.
    v.server.faults.inject({
      path: '/v1/database/static-creds/app',
      status: 200,
      body: { data: { ...stale, ttl: 0 } },
      times: 2,
    });
    v.server.resetStats();
    await sleep(2000 + 250 + 1000 + 900);
    expect(v.requests(STATIC_CREDS)).toBe(3);
    expect(v.events.map(e => e.reason)).toEqual(['rotation']);
    expect(v.value(runtime, 'DB_password')).not.toBe(first);
    expect(v.logger.lines('warn')).toEqual([]);
  });

  test('refresh reads a static role again (a manual rotate-role reaches the app) but not a certificate', async v => {
    const runtime = await v.runtime({ sources: [PKI_SOURCE, STATIC_SOURCE] });
    const password = v.value(runtime, 'DB_password');
    const certificate = v.value(runtime, 'TLS_CERTIFICATE');
    await v.call('POST', 'database/rotate-role/app');
    const result = await runtime.refresh();
    expect(result.changes.map(c => `${c.key} ${c.change}`)).toEqual(['DB_password updated']);
    expect(v.events.map(e => e.reason)).toEqual(['refresh']);
    expect(v.value(runtime, 'DB_password')).not.toBe(password);
    expect(runtime.snapshot.get('TLS_CERTIFICATE')).toBe(certificate);
    expect(v.requests(ISSUE)).toBe(1);
    expect(v.requests(STATIC_CREDS)).toBe(2);
  });
});
