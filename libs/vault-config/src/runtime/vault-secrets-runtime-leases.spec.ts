/**
 * VaultSecretsRuntime with a dynamic source (the in-memory Vault's database engine) on real HTTP:
 * lease re-issue with its change event, and shutdown (timers stopped, revokeOnShutdown, refused
 * revocations). Each test has its own server; they run at once (mostly timers).
 */
import { describe, expect } from '@jest/globals';
import type { SecretsChangedEvent } from '../interfaces/secrets-changed-event.interface.js';
import type { VaultBody } from '../client/vault-server-fixture.spec-helpers.js';
import { fixtureTest, RuntimeFixture, sleep } from './vault-secrets-runtime.spec-helpers.js';

const CREDS = 'GET /v1/database/creds/app';
const POLICY =
  'path "database/creds/*" { capabilities = ["read"] }\n' +
  'path "sys/leases/renew" { capabilities = ["update"] }\n' +
  'path "sys/leases/revoke" { capabilities = ["update"] }\n';

class Fixture extends RuntimeFixture {
  static async start(): Promise<Fixture> {
    const v = new Fixture(await RuntimeFixture.startServer(), {
      sources: [{ type: 'dynamic', mount: 'database', path: 'creds/app', prefix: 'DB_' }],
    });
    await v.loginWithAppRole(POLICY);
    await v.mountDatabase(['app']);
    return v;
  }

  async databaseRole(ttlS: number, maxTtlS: number): Promise<void> {
    await this.call('POST', 'database/roles/app', {
      db_name: 'pg',
      creation_statements: ['CREATE ROLE "{{name}}"'],
      default_ttl: ttlS,
      max_ttl: maxTtlS,
    });
  }
  /** Accessors of the live tokens from our AppRole login. */
  async loginTokens(): Promise<string[]> {
    const list = await this.root.request({ method: 'LIST', path: 'auth/token/accessors' });
    const accessors = ((list.body as VaultBody).data?.keys ?? []) as string[];
    const ours: string[] = [];
    for (const accessor of accessors) {
      const res = await this.call('POST', 'auth/token/lookup-accessor', { accessor });
      if ((res.data!.policies as string[]).includes('app')) ours.push(accessor);
    }
    return ours;
  }
  async leaseIds(): Promise<string[]> {
    const res = await this.root.request({
      method: 'LIST',
      path: 'sys/leases/lookup/database/creds/app',
    });
    return ((res.body as VaultBody | null)?.data?.keys ?? []) as string[];
  }
}

const test = fixtureTest(() => Fixture.start());

describe('VaultSecretsRuntime: dynamic sources and shutdown (real HTTP, in-memory Vault)', () => {
  test('a dynamic source: refresh leaves its lease alone; once renewal is capped, new credentials and a lease event', async v => {
    await v.databaseRole(2, 2); // renewed at ~1.3 s for the 1 s left: capped, re-issued ~0.7 s later
    const runtime = await v.runtime();
    const first = runtime.snapshot.get('DB_password');
    const events: SecretsChangedEvent[] = [];
    runtime.onChange(e => events.push(e));
    await expect(runtime.refresh()).resolves.toMatchObject({ changed: false });
    expect(v.requests(CREDS)).toBe(1); // kept by its lease, not re-read
    await sleep(2400);
    expect(events).toHaveLength(1);
    expect(events[0].reason).toBe('lease');
    expect(events[0].changes.map(c => `${c.key} ${c.change} ${c.dynamic}`).sort()).toEqual([
      'DB_password updated true',
      'DB_username updated true',
    ]);
    expect(runtime.snapshot.get('DB_password')).not.toBe(first);
    expect(v.requests('PUT /v1/sys/leases/renew')).toBe(1);
    expect(v.logger.lines('log').at(-1)).toMatch(/^Vault secrets changed \(lease\): 2 key\(s\)/);
    v.secrets.push(String(first));
  });

  test('close() with revokeOnShutdown: no request after it, leases and our token revoked', async v => {
    await v.databaseRole(60, 120);
    await v.call('POST', 'auth/approle/role/app', { token_policies: ['app'], token_ttl: '1s' });
    const runtime = await v.runtime({
      refresh: { intervalMs: 100 },
      revokeOnShutdown: true,
    });
    expect(await v.leaseIds()).toHaveLength(1);
    expect(await v.loginTokens()).toHaveLength(1);
    await runtime.close();
    expect(await v.leaseIds()).toEqual([]);
    expect(await v.loginTokens()).toEqual([]);
    expect(v.logger.lines('warn')).toEqual([]); // leases first: they need the token
    await expect(runtime.refresh()).rejects.toThrow('VaultConfigModule is shut down');
    await runtime.close(); // a second close does nothing
    v.server.resetStats();
    await sleep(900); // the token's renewal would have come at 667 ms, refreshes every 100 ms
    expect(v.server.stats().total).toBe(0);
  });

  test('close() without revokeOnShutdown stops every timer and leaves lease and token to expire', async v => {
    await v.databaseRole(1, 60);
    await v.call('POST', 'auth/approle/role/app', { token_policies: ['app'], token_ttl: '1s' });
    const runtime = await v.runtime();
    await runtime.onApplicationShutdown();
    expect(await v.leaseIds()).toHaveLength(1);
    expect(await v.loginTokens()).toHaveLength(1);
    v.server.resetStats();
    await sleep(900); // token and lease renewals would have come at 600–667 ms
    expect(v.server.stats().total).toBe(0);
  });

  test('revokeOnShutdown with a token the app was given: the lease is revoked, the token kept', async v => {
    await v.databaseRole(60, 120);
    const token = (await v.call('POST', 'auth/token/create', { policies: ['app'] })).auth!
      .client_token;
    v.secrets.push(token);
    const runtime = await v.runtime({
      auth: { method: 'token', token },
      revokeOnShutdown: true,
    });
    await runtime.close();
    expect(await v.leaseIds()).toEqual([]);
    expect((await v.client(token).lookupSelf()).policies).toContain('app');
  });

  test('revocations refused on shutdown are warnings: the token, then the lease count', async v => {
    await v.databaseRole(60, 120);
    await v.call('PUT', 'sys/policies/acl/app', {
      policy: POLICY.replace('path "sys/leases/revoke" { capabilities = ["update"] }\n', ''),
    });
    const runtime = await v.runtime({
      revokeOnShutdown: true,
    });
    v.server.faults.inject({ path: '/v1/auth/token/revoke-self', status: 503 });
    await runtime.close();
    expect(v.logger.lines('warn')).toEqual([
      'Vault token could not be revoked on shutdown; it expires with its TTL',
      '1 Vault lease(s) could not be revoked; they expire with their TTL',
    ]);
    expect(await v.leaseIds()).toHaveLength(1);
  });
});
