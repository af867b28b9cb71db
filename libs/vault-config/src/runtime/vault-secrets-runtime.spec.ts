/**
 * VaultSecretsRuntime on real HTTP against the in-memory Vault: AppRole login, a KV v2 source, faults
 * for outages. Each test has its own server; they run at once (mostly timers). Dynamic sources and
 * shutdown: vault-secrets-runtime-leases.spec.ts.
 */
import { describe, expect, it } from '@jest/globals';
import { VaultTestServer } from '../../../vault-testing/src/index.js';
import { HttpVaultTransport } from '../client/http-vault.transport.js';
import { VaultClient } from '../client/vault.client.js';
import { VaultPermissionError } from '../errors/vault-permission.error.js';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import type { LoggerLike } from '../interfaces/logger-like.interface.js';
import type { SecretsChangedEvent } from '../interfaces/secrets-changed-event.interface.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import { VaultSecretsRuntime } from './vault-secrets-runtime.js';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const DATA = 'GET /v1/secret/data/app/config';
const LOGIN = 'POST /v1/auth/approle/login';
const POLICY = 'path "secret/data/app/*" { capabilities = ["read"] }\n';

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

  async writeConfig(data: Record<string, string>): Promise<void> {
    this.secrets.push(...Object.values(data));
    await this.call('POST', 'secret/data/app/config', { data });
  }

  async runtime(over: Partial<VaultConfigOptions> = {}): Promise<VaultSecretsRuntime> {
    const runtime = await VaultSecretsRuntime.start(
      {
        address: this.server.url,
        auth: this.#auth,
        sources: [{ mount: 'secret', path: 'app/config' }],
        envFallback: false,
        retry: { attempts: 1 },
        ...over,
      },
      { logger: this.logger, env: {} },
    );
    this.#runtimes.push(runtime);
    return runtime;
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

const canary = (label: string) => `canary-${label}-${Math.random().toString(36).slice(2, 10)}`;

describe('VaultSecretsRuntime (real HTTP, in-memory Vault)', () => {
  test('start(): the snapshot, the options and the status of a live session', async v => {
    const key = canary('start');
    await v.writeConfig({ API_KEY: key });
    const runtime = await v.runtime({ refresh: { intervalMs: 3_600_000 } });
    expect(runtime.snapshot.get('API_KEY')).toBe(key);
    expect(runtime.options.sources[0]).toMatchObject({ mount: 'secret', path: 'app/config' });
    expect(runtime.refreshFailing).toBe(false);
    const status = runtime.status();
    expect(status).toEqual({
      mode: 'vault',
      tokenTtlS: 3600,
      lastRefreshAgeMs: expect.any(Number),
      refreshIntervalMs: 3_600_000,
    });
    expect(status.lastRefreshAgeMs).toBeLessThan(1000);
    expect(v.logger.lines('log')).toEqual([
      expect.stringMatching(/^Loaded 1 secrets .* via approle$/),
    ]);
  });

  test('refresh(): nothing changed, no event; a change reaches sinks, then listeners, with one log line', async v => {
    const [v1, v2] = [canary('v1'), canary('v2')];
    await v.writeConfig({ API_KEY: v1, SAME: 'same-value' });
    const runtime = await v.runtime();
    const seen: string[] = [];
    const events: SecretsChangedEvent[] = [];
    runtime.onSnapshot(s => seen.push(`sink ${String(s.get('API_KEY') === v2)}`));
    runtime.onChange(e => {
      events.push(e);
      seen.push(`listener ${String(runtime.snapshot.get('API_KEY') === v2)}`);
    });
    await sleep(300);
    expect(runtime.status().lastRefreshAgeMs).toBeGreaterThanOrEqual(290);
    await expect(runtime.refresh()).resolves.toMatchObject({ changed: false, changes: [] });
    expect(runtime.status().lastRefreshAgeMs).toBeLessThan(200); // unchanged still counts as fresh
    expect(seen).toEqual([]);

    await v.writeConfig({ API_KEY: v2, SAME: 'same-value' });
    const result = await runtime.refresh();
    expect(result.changes).toEqual([
      expect.objectContaining({
        key: 'API_KEY',
        change: 'updated',
        previousVersion: 1,
        version: 2,
      }),
    ]);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(seen).toEqual(['sink true', 'listener true']);
    expect(events).toEqual([{ reason: 'refresh', changes: result.changes, at: expect.any(Date) }]);
    expect(v.logger.lines('log').at(-1)).toBe(
      'Vault secrets changed (refresh): 1 key(s): API_KEY updated',
    );
  });

  test('concurrent refresh() callers share one refresh (one read of the source)', async v => {
    await v.writeConfig({ API_KEY: canary('shared') });
    const runtime = await v.runtime();
    v.server.resetStats();
    const first = runtime.refresh();
    const second = runtime.refresh();
    expect(second).toBe(first);
    await first;
    expect(v.requests(DATA)).toBe(1);
  });

  test('a failing refresh keeps the last good snapshot, warns once per streak, then recovers', async v => {
    const key = canary('lkg');
    await v.writeConfig({ API_KEY: key });
    const runtime = await v.runtime();
    const outage = v.server.faults.inject({ path: '/v1/secret/data/app/config', status: 503 });
    await expect(runtime.refresh()).rejects.toBeInstanceOf(VaultUnavailableError);
    await expect(runtime.refresh()).rejects.toBeInstanceOf(VaultUnavailableError);
    expect(runtime.snapshot.get('API_KEY')).toBe(key);
    expect(runtime.refreshFailing).toBe(true);
    expect(runtime.status().lastError).toMatchObject({
      error: 'VaultUnavailableError',
      during: 'refresh',
      attempts: 2,
    });
    expect(v.logger.lines('warn')).toEqual([
      expect.stringMatching(
        /^Vault refresh failed \(VaultUnavailableError: .*\); keeping the last known good secrets and backing off$/,
      ),
    ]);
    outage.remove();
    await expect(runtime.refresh()).resolves.toMatchObject({ changed: false });
    expect(runtime.refreshFailing).toBe(false);
    expect(runtime.status().lastError).toBeUndefined();
    expect(v.logger.lines('log').at(-1)).toBe('Vault refresh recovered after 2 failed attempt(s)');
  });

  test('scheduled refresh backs off during an outage, then picks up a change by itself', async v => {
    await v.writeConfig({ API_KEY: canary('sched-v1') });
    const runtime = await v.runtime({ refresh: { intervalMs: 100, jitter: 0, maxBackoffMs: 400 } });
    const outage = v.server.faults.inject({ path: '/v1/secret/data/app/config', status: 503 });
    v.server.resetStats();
    await sleep(1250); // failures at 100, 300, 700 and 1100 ms: backoff 200, 400, 400
    outage.remove();
    expect(v.requests(DATA)).toBeGreaterThanOrEqual(3);
    expect(v.requests(DATA)).toBeLessThanOrEqual(5); // without backoff: about 12
    expect(runtime.refreshFailing).toBe(true);
    const v2 = canary('sched-v2');
    await v.writeConfig({ API_KEY: v2 });
    await sleep(600); // the next attempt comes at most 400 ms later
    expect(runtime.snapshot.get('API_KEY')).toBe(v2);
    expect(runtime.refreshFailing).toBe(false);
  });

  test('a 403 because the token was revoked costs one new login, then the refresh succeeds', async v => {
    await v.writeConfig({ API_KEY: canary('revoked') });
    const runtime = await v.runtime();
    const probe = v.client();
    runtime.shareTokenWith(probe);
    const { accessor } = await probe.lookupSelf();
    await v.call('POST', 'auth/token/revoke-accessor', { accessor });
    v.server.resetStats();
    await expect(runtime.refresh()).resolves.toMatchObject({ changed: false });
    expect(v.requests(LOGIN)).toBe(1);
    expect(v.logger.lines('warn')).toEqual([]);
  });

  test('a 403 from the policy (the token still valid) is not retried with a login', async v => {
    await v.writeConfig({ API_KEY: canary('policy') });
    const runtime = await v.runtime();
    await v.call('PUT', 'sys/policies/acl/app', {
      policy: 'path "other/*" { capabilities = ["read"] }',
    });
    v.server.resetStats();
    await expect(runtime.refresh()).rejects.toBeInstanceOf(VaultPermissionError);
    expect(v.requests(LOGIN)).toBe(0);
  });

  test('shareTokenWith() lets another client use our token; false when Vault is not used', async v => {
    await v.writeConfig({ API_KEY: canary('share') });
    const runtime = await v.runtime();
    const probe = v.client();
    expect(runtime.shareTokenWith(probe)).toBe(true);
    expect((await probe.lookupSelf()).policies).toContain('app');
    const disabled = await v.runtime({ enabled: false, defaults: { API_KEY: 'local' } });
    expect(disabled.shareTokenWith(v.client())).toBe(false);
    await expect(disabled.refresh()).resolves.toEqual({
      changed: false,
      changes: [],
      durationMs: 0,
    });
    expect(disabled.status()).toMatchObject({ mode: 'disabled' });
  });

  test('booted in fallback: the first refresh that reaches Vault connects, switches mode, renews', async v => {
    const key = canary('fallback');
    await v.writeConfig({ API_KEY: key });
    const outage = v.server.faults.inject({ path: '/v1/*', status: 503 });
    const runtime = await v.runtime({
      onUnavailable: 'fallback',
      defaults: { API_KEY: 'default' },
    });
    expect(runtime.status()).toMatchObject({ mode: 'fallback' });
    expect(runtime.status().tokenTtlS).toBeUndefined();
    await expect(runtime.refresh()).rejects.toBeInstanceOf(VaultUnavailableError);
    outage.remove();
    const result = await runtime.refresh();
    expect(result.changes).toEqual([
      expect.objectContaining({ key: 'API_KEY', change: 'updated', source: 'vault' }),
    ]);
    expect(runtime.snapshot.get('API_KEY')).toBe(key);
    expect(runtime.status()).toMatchObject({ mode: 'vault', tokenTtlS: 3600 });
  });
});
