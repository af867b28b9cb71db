/**
 * TokenLifecycle on real HTTP against the in-memory Vault: token TTLs of 1–3 s on real time, and
 * `random = () => 0` so every renewal lands exactly at 2/3 of the TTL.
 */
import { describe, expect, it } from '@jest/globals';
import { VaultTestServer } from '../../../vault-testing/src/index.js';
import { AppRoleAuth } from '../auth/approle.auth.js';
import type { AuthMethod } from '../auth/auth-method.interface.js';
import { TokenAuth } from '../auth/token.auth.js';
import { HttpVaultTransport } from '../client/http-vault.transport.js';
import { VaultClient } from '../client/vault.client.js';
import type { LoggerLike } from '../interfaces/logger-like.interface.js';
import { SensitiveValue } from '../options/sensitive-value.js';
import { TokenLifecycle } from './token-lifecycle.js';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const noJitter = () => 0;
const sensitive = (value: string) => new SensitiveValue(value);

class RecordingLogger implements LoggerLike {
  readonly calls: Array<{ level: string; message: string; at: number }> = [];
  readonly log = (message: string) => this.#keep('log', message);
  readonly warn = (message: string) => this.#keep('warn', message);
  readonly error = (message: string) => this.#keep('error', message);
  readonly debug = (message: string) => this.#keep('debug', message);
  #keep(level: string, message: string): void {
    this.calls.push({ level, message, at: Date.now() });
  }
  /** When lines matching `pattern` were logged. */
  times(pattern: RegExp): number[] {
    return this.calls.filter(c => pattern.test(c.message)).map(c => c.at);
  }
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<number | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !this.times(pattern).length) await sleep(20);
    return this.times(pattern)[0];
  }
}

/** One server per test; everything it opened is closed by close(). */
class Fixture {
  readonly logger = new RecordingLogger();
  /** Every credential the test handled: none may reach a log line. */
  readonly secrets: string[] = [];
  readonly #clients: VaultClient[] = [];
  readonly #lifecycles: TokenLifecycle[] = [];
  readonly root: VaultClient;

  private constructor(readonly server: VaultTestServer) {
    this.root = this.client('root');
  }

  static async start(): Promise<Fixture> {
    return new Fixture(await VaultTestServer.start({ rootToken: 'root' }));
  }

  client(token?: string): VaultClient {
    const transport = new HttpVaultTransport({ address: this.server.url, timeoutMs: 2000 });
    const client = new VaultClient({ transport, token, retry: { attempts: 1 } });
    this.#clients.push(client);
    return client;
  }

  lifecycle(client: VaultClient, auth: AuthMethod): TokenLifecycle {
    const lifecycle = new TokenLifecycle(client, auth, this.logger, noJitter);
    this.#lifecycles.push(lifecycle);
    return lifecycle;
  }

  /** A root request that must succeed; the body. */
  async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<VaultBody> {
    const res = await this.root.request({ method, path, ...(body ? { body } : {}) });
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}`);
    return res.body as VaultBody;
  }

  async appRole(ttl: string, maxTtl: string): Promise<AppRoleAuth> {
    await this.call('POST', 'sys/auth/approle', { type: 'approle' });
    await this.call('POST', 'auth/approle/role/app', { token_ttl: ttl, token_max_ttl: maxTtl });
    const role = 'auth/approle/role/app';
    const roleId = (await this.call('GET', `${role}/role-id`)).data!.role_id as string;
    const secretId = (await this.call('POST', `${role}/secret-id`, {})).data!.secret_id as string;
    this.secrets.push(roleId, secretId);
    return new AppRoleAuth(sensitive(roleId), sensitive(secretId), undefined, 'approle');
  }

  /** A client logged in with a fresh AppRole of these token TTLs. */
  async loggedIn(ttl: string, maxTtl: string) {
    const auth = await this.appRole(ttl, maxTtl);
    const client = this.client();
    const block = await auth.authenticate(client);
    return { auth, client, block };
  }

  refuseRenewalOnce() {
    return this.server.faults.inject({ path: '/v1/auth/token/renew-self', status: 403, times: 1 });
  }

  warnings(): string[] {
    return this.logger.calls.filter(c => c.level === 'warn').map(c => c.message);
  }

  /** A token created by root, as an operator hands one to the app. */
  async token(body: Record<string, unknown>): Promise<string> {
    const token = (await this.call('POST', 'auth/token/create', body)).auth!.client_token;
    this.secrets.push(token);
    return token;
  }

  /** The accessor of the token `client` holds now (lookup-self on a copy of its token). */
  async accessorOf(client: VaultClient): Promise<string> {
    const probe = this.client();
    client.copyTokenTo(probe);
    const data = await probe.lookupSelf();
    this.secrets.push(data.id as string);
    return data.accessor as string;
  }

  requests(route: string): number {
    return this.server.stats().byRoute[route] ?? 0;
  }

  async close(): Promise<void> {
    for (const lifecycle of this.#lifecycles) lifecycle.stop();
    await Promise.all(this.#clients.map(c => c.close()));
    await this.server.stop();
    const lines = this.logger.calls.map(c => c.message).join('\n');
    for (const secret of this.secrets) expect(lines).not.toContain(secret);
  }
}

type VaultBody = { data?: Record<string, unknown>; auth?: { client_token: string } };

const LOGIN = 'POST /v1/auth/approle/login';
const RENEW = 'POST /v1/auth/token/renew-self';
const LOOKUP = 'GET /v1/auth/token/lookup-self';

/** Each test on its own server, all at once: they mostly wait for timers. */
const test = (name: string, body: (v: Fixture) => Promise<void>) =>
  it.concurrent(name, async () => {
    const v = await Fixture.start();
    try {
      await body(v);
    } finally {
      await v.close();
    }
  });

describe('TokenLifecycle (real HTTP, in-memory Vault)', () => {
  test('renews a renewable login token at 2/3 of its TTL, keeping the same token', async v => {
    const { auth, client, block } = await v.loggedIn('2s', '1h');
    const accessor = await v.accessorOf(client);
    const lifecycle = v.lifecycle(client, auth);
    const started = Date.now();
    lifecycle.start(block);
    expect(lifecycle.ttlS).toBe(2);
    const renewedAt = await v.logger.waitFor(/^Vault token renewed \(TTL 2s\)$/, 3000);
    expect(renewedAt).toBeDefined();
    // 2/3 of 2 s is 1333 ms; the upper bound leaves room for a busy machine.
    expect(renewedAt! - started).toBeGreaterThanOrEqual(1300);
    expect(renewedAt! - started).toBeLessThan(1800);
    expect(lifecycle.ttlS).toBe(2);
    expect(await v.accessorOf(client)).toBe(accessor);
    expect(v.requests(LOGIN)).toBe(1);
    expect(v.logger.calls.filter(c => c.level !== 'debug')).toEqual([]);
  });

  test('logs in again before the token dies when its max TTL caps the renewal', async v => {
    // Renewed at 2 s with 2 s left of the max TTL: capped (2 s < 3 s), so the next step is a login.
    const { auth, client, block } = await v.loggedIn('3s', '4s');
    const first = await v.accessorOf(client);
    const started = Date.now();
    v.lifecycle(client, auth).start(block);
    const loginAt = await v.logger.waitFor(/^Vault token replaced by a new approle login$/, 3900);
    expect(loginAt).toBeDefined();
    expect(loginAt! - started).toBeLessThan(3800); // before the first token's max TTL (4 s)
    expect(v.logger.times(/^Vault token renewed \(TTL 2s\)$/)).toHaveLength(1);
    const second = await v.accessorOf(client);
    expect(second).not.toBe(first);
    expect(await v.lifecycle(client, auth).isTokenValid()).toBe(true);
    expect(v.warnings()).toEqual([]);
  });

  test('a failed renewal of a login token is replaced by a new login, without a warning', async v => {
    const { auth, client, block } = await v.loggedIn('1s', '1h');
    const fault = v.refuseRenewalOnce();
    v.lifecycle(client, auth).start(block);
    const loginAt = await v.logger.waitFor(/^Vault token replaced by a new approle login$/, 2000);
    expect(loginAt).toBeDefined();
    expect(fault.hits).toBe(1);
    expect(v.requests(LOGIN)).toBe(2);
    expect(v.warnings()).toEqual([]);
  });

  test('a fixed token is never logged in again: a failed renewal retries the renewal with backoff', async v => {
    const token = await v.token({ policies: ['default'], ttl: '3s' });
    const client = v.client();
    const auth = new TokenAuth(sensitive(token));
    await auth.authenticate(client);
    const fault = v.refuseRenewalOnce();
    v.lifecycle(client, auth).start(); // looks the token up after 1 s, renews 2/3 of its TTL later
    expect(await v.logger.waitFor(/recovered after 1 failed attempt/, 3500)).toBeDefined();
    expect(fault.hits).toBe(1);
    expect(v.warnings()).toEqual([
      expect.stringMatching(
        /^Vault token renewal failed \(VaultPermissionError: .*\); retrying with backoff$/,
      ),
    ]);
    expect(v.requests(RENEW)).toBe(2);
    expect(v.requests(LOOKUP)).toBe(1); // a re-run of TokenAuth would have looked the token up again
  });

  test('a fixed token that cannot be renewed is looked up once, then left alone', async v => {
    const token = await v.token({ policies: ['default'], ttl: '3s', renewable: false });
    const client = v.client(token);
    const lifecycle = v.lifecycle(client, new TokenAuth(sensitive(token)));
    v.server.resetStats();
    lifecycle.start();
    await sleep(2200); // past 2/3 of what was left of its TTL at the lookup (1 s)
    expect(v.server.stats().total).toBe(1);
    expect(v.requests(LOOKUP)).toBe(1);
    expect(lifecycle.ttlS).toBeGreaterThanOrEqual(0);
    expect(lifecycle.ttlS).toBeLessThanOrEqual(1);
  });

  test('TTL 0 (never expires): reported as 0 and nothing is scheduled', async v => {
    // The root token: lookup-self says ttl 0.
    const rootLifecycle = v.lifecycle(v.client('root'), new TokenAuth(sensitive('root')));
    rootLifecycle.start();
    expect(rootLifecycle.ttlS).toBeUndefined(); // not looked up yet
    await sleep(1200);
    expect(rootLifecycle.ttlS).toBe(0);
    // A login that reports lease_duration 0 (a non-expiring, renewable token).
    const { auth, client, block } = await v.loggedIn('1h', '2h');
    v.server.resetStats();
    const lifecycle = v.lifecycle(client, auth);
    lifecycle.start({ ...block, lease_duration: 0, renewable: true });
    expect(lifecycle.ttlS).toBe(0);
    await sleep(400);
    expect(v.server.stats().total).toBe(0);
  });

  test('stop() prevents every later renewal and lookup', async v => {
    const { auth, client, block } = await v.loggedIn('1s', '1h');
    const renewing = v.lifecycle(client, auth);
    const lookingUp = v.lifecycle(v.client('root'), new TokenAuth(sensitive('root')));
    v.server.resetStats();
    renewing.start(block);
    lookingUp.start();
    renewing.stop();
    lookingUp.stop();
    await sleep(1200); // past the renewal at 667 ms and the lookup at 1 s
    expect(v.server.stats().total).toBe(0);
  });

  test('revoke() revokes a token from our own login, never one the app was given', async v => {
    const { auth, client } = await v.loggedIn('1h', '2h');
    const copy = v.client();
    client.copyTokenTo(copy);
    expect(await v.lifecycle(copy, auth).isTokenValid()).toBe(true);
    await v.lifecycle(client, auth).revoke();
    expect(client.hasToken()).toBe(false);
    expect(await v.lifecycle(copy, auth).isTokenValid()).toBe(false);

    const given = await v.token({ policies: ['default'], ttl: '1h' });
    const fixed = v.client(given);
    v.server.resetStats();
    await v.lifecycle(fixed, new TokenAuth(sensitive(given))).revoke();
    expect(v.server.stats().total).toBe(0);
    expect(fixed.hasToken()).toBe(true);
  });

  test('reauthenticate() shares one login between concurrent callers', async v => {
    const { auth, client } = await v.loggedIn('1h', '2h');
    const before = await v.accessorOf(client);
    const lifecycle = v.lifecycle(client, auth);
    await Promise.all([1, 2, 3].map(() => lifecycle.reauthenticate()));
    expect(v.requests(LOGIN)).toBe(2); // the first login, then one for all three callers
    expect(await v.accessorOf(client)).not.toBe(before);
    expect(lifecycle.ttlS).toBe(3600);
  });

  test('a token that may not look itself up is used as it is: one warning, no retries', async v => {
    const token = await v.token({ policies: ['nothing'], no_default_policy: true, ttl: '1h' });
    const lifecycle = v.lifecycle(v.client(token), new TokenAuth(sensitive(token)));
    v.server.resetStats();
    lifecycle.start();
    expect(await v.logger.waitFor(/may not look itself up/, 2000)).toBeDefined();
    await sleep(400); // a retry would come 250 ms later
    expect(v.server.stats().total).toBe(1);
    expect(v.logger.calls).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'Vault token may not look itself up: it is used without renewal',
      }),
    ]);
    expect(lifecycle.ttlS).toBeUndefined();
    expect(lifecycle.lastError).toBeUndefined();
  });
});
