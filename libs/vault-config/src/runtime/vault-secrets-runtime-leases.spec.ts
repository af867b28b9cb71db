/**
 * VaultSecretsRuntime with a dynamic source (the in-memory Vault's database engine) on real HTTP:
 * lease re-issue with its change event, and shutdown (timers stopped, revokeOnShutdown, refused
 * revocations). Each test has its own server; they run at once (mostly timers).
 */
import { describe, expect, it } from '@jest/globals';
import { VaultTestServer } from '../../../vault-testing/src/index.js';
import { HttpVaultTransport } from '../client/http-vault.transport.js';
import { VaultClient } from '../client/vault.client.js';
import type { LoggerLike } from '../interfaces/logger-like.interface.js';
import type { SecretsChangedEvent } from '../interfaces/secrets-changed-event.interface.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import { VaultSecretsRuntime } from './vault-secrets-runtime.js';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const CREDS = 'GET /v1/database/creds/app';
const POLICY =
  'path "database/creds/*" { capabilities = ["read"] }\n' +
  'path "sys/leases/renew" { capabilities = ["update"] }\n' +
  'path "sys/leases/revoke" { capabilities = ["update"] }\n';

class RecordingLogger implements LoggerLike {
  readonly calls: Array<{ level: string; message: string }> = [];
  readonly log = (message: string) => this.#keep('log', message);
  readonly warn = (message: string) => this.#keep('warn', message);
  readonly error = (message: string) => this.#keep('error', message);
  readonly debug = (message: string) => this.#keep('debug', message);
  #keep(level: string, message: string): void {
    this.calls.push({ level, message });
  }
  lines(level: string): string[] {
    return this.calls.filter(c => c.level === level).map(c => c.message);
  }
}

type VaultBody = { data?: Record<string, unknown>; auth?: { client_token: string } };

class Fixture {
  readonly logger = new RecordingLogger();
  /** Values, credentials and tokens: none may reach a log line. */
  readonly secrets: string[] = [];
  readonly root: VaultClient;
  readonly #runtimes: VaultSecretsRuntime[] = [];
  readonly #clients: VaultClient[] = [];
  #auth: VaultConfigOptions['auth'];

  private constructor(readonly server: VaultTestServer) {
    this.root = this.client('root');
  }

  static async start(): Promise<Fixture> {
    const v = new Fixture(await VaultTestServer.start({ rootToken: 'root' }));
    await v.call('POST', 'sys/auth/approle', { type: 'approle' });
    await v.call('PUT', 'sys/policies/acl/app', { policy: POLICY });
    await v.call('POST', 'auth/approle/role/app', { token_policies: ['app'], token_ttl: '1h' });
    const role = 'auth/approle/role/app';
    const roleId = (await v.call('GET', `${role}/role-id`)).data!.role_id as string;
    const secretId = (await v.call('POST', `${role}/secret-id`, {})).data!.secret_id as string;
    v.secrets.push(secretId);
    v.#auth = { method: 'approle', roleId, secretId };
    await v.call('POST', 'sys/mounts/database', { type: 'database' });
    await v.call('POST', 'database/config/pg', {
      plugin_name: 'postgresql-database-plugin',
      connection_url: 'postgresql://{{username}}:{{password}}@127.0.0.1:5432/postgres',
      username: 'vault_admin',
      password: 'not-used-by-the-memory-server',
      allowed_roles: ['app'],
    });
    return v;
  }

  client(token?: string): VaultClient {
    const transport = new HttpVaultTransport({ address: this.server.url, timeoutMs: 2000 });
    const client = new VaultClient({ transport, token, retry: { attempts: 1 } });
    this.#clients.push(client);
    return client;
  }

  async call(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<VaultBody> {
    const res = await this.root.request({ method, path, ...(body ? { body } : {}) });
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}`);
    return res.body as VaultBody;
  }

  async databaseRole(ttlS: number, maxTtlS: number): Promise<void> {
    await this.call('POST', 'database/roles/app', {
      db_name: 'pg',
      creation_statements: ['CREATE ROLE "{{name}}"'],
      default_ttl: ttlS,
      max_ttl: maxTtlS,
    });
  }

  async runtime(over: Partial<VaultConfigOptions> = {}): Promise<VaultSecretsRuntime> {
    const runtime = await VaultSecretsRuntime.start(
      {
        address: this.server.url,
        auth: this.#auth,
        sources: [{ type: 'dynamic', mount: 'database', path: 'creds/app', prefix: 'DB_' }],
        envFallback: false,
        retry: { attempts: 1 },
        ...over,
      },
      { logger: this.logger, env: {} },
    );
    this.#runtimes.push(runtime);
    return runtime;
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

  requests(route: string): number {
    return this.server.stats().byRoute[route] ?? 0;
  }

  async close(): Promise<void> {
    for (const runtime of this.#runtimes) {
      const { snapshot } = runtime;
      this.secrets.push(...snapshot.keys().map(key => String(snapshot.get(key))));
      await runtime.close();
    }
    await Promise.all(this.#clients.map(c => c.close()));
    await this.server.stop();
    const lines = this.logger.calls.map(c => c.message).join('\n');
    // Short values (`default`, `local`) are words any line may hold; canaries are long.
    for (const secret of this.secrets.filter(s => s.length > 8))
      expect(lines).not.toContain(secret);
  }
}

const test = (name: string, body: (v: Fixture) => Promise<void>) =>
  it.concurrent(name, async () => {
    const v = await Fixture.start();
    try {
      await body(v);
    } finally {
      await v.close();
    }
  });

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
