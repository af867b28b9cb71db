/**
 * TokenLifecycle on real HTTP against the in-memory Vault: token TTLs of 1–3 s on Jest's fake clock
 * (the server's expiry follows it), and `random = () => 0` so every renewal lands exactly at 2/3 of
 * the TTL. Times are fake milliseconds, moved on in steps of 50 ms: exact whatever the machine's load.
 */
import { describe, expect } from '@jest/globals';
import { TokenAuth } from '../auth/token.auth.js';
import type { VaultClient } from '../client/vault.client.js';
import { VaultServerFixture } from '../client/vault-server-fixture.spec-helpers.js';
import { clockedTest, fakeClock } from './fake-clock.spec-helpers.js';
import { Fixture, sensitive } from './token-lifecycle.spec-helpers.js';

const LOGIN = 'POST /v1/auth/approle/login';
const RENEW = 'POST /v1/auth/token/renew-self';
const LOOKUP = 'GET /v1/auth/token/lookup-self';

/** The shared fixture, with every client (the root one too) one the fake clock waits for. */
class ClockedFixture extends Fixture {
  static override async start(): Promise<ClockedFixture> {
    return new ClockedFixture(await VaultServerFixture.startServer());
  }

  override client(token?: string): VaultClient {
    return fakeClock.track(super.client(token));
  }
}

const test = clockedTest(() => ClockedFixture.start());
const elapse = (ms: number) => fakeClock.elapse(ms);
/** Fake ms since the clock was installed (the test's start) when `pattern` was first logged. */
const loggedAt = (v: Fixture, pattern: RegExp) => v.logger.times(pattern)[0] - startedAt;
let startedAt = 0;

describe('TokenLifecycle (real HTTP, in-memory Vault)', () => {
  test('renews a renewable login token at 2/3 of its TTL, keeping the same token', async v => {
    const { auth, client, block } = await v.loggedIn('2s', '1h');
    const accessor = await v.accessorOf(client);
    const lifecycle = v.lifecycle(client, auth);
    startedAt = Date.now();
    lifecycle.start(block);
    expect(lifecycle.ttlS).toBe(2);
    const renewed = /^Vault token renewed \(TTL 2s\)$/;
    await elapse(1300);
    expect(v.logger.times(renewed)).toEqual([]); // 2/3 of 2 s is 1333 ms
    await elapse(50);
    expect(v.logger.times(renewed)).toHaveLength(1);
    expect(loggedAt(v, renewed)).toBeGreaterThanOrEqual(1333);
    expect(lifecycle.ttlS).toBe(2);
    await elapse(4100);
    const at = v.logger.times(renewed);
    expect(at).toHaveLength(4); // again and again, each 2/3 of the 2 s granted after the last
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    expect(gaps.every(gap => gap >= 1333 && gap <= 1400)).toBe(true);
    expect(await v.accessorOf(client)).toBe(accessor);
    expect(v.requests(LOGIN)).toBe(1);
    expect(v.logger.calls.filter(c => c.level !== 'debug')).toEqual([]);
  });

  test('logs in again before the token dies when its max TTL caps the renewal', async v => {
    // Renewed at 2 s with 2 s left of the max TTL: capped (2 s < 3 s), so the next step is a login.
    const { auth, client, block } = await v.loggedIn('3s', '4s');
    const first = await v.accessorOf(client);
    startedAt = Date.now();
    v.lifecycle(client, auth).start(block);
    const login = /^Vault token replaced by a new approle login$/;
    await elapse(3300);
    expect(v.logger.times(login)).toEqual([]); // renewed at 2 s for 2 s (capped): login at 3.33 s
    expect(v.logger.times(/^Vault token renewed \(TTL 2s\)$/)).toHaveLength(1);
    const copy = v.client();
    client.copyTokenTo(copy);
    await elapse(100);
    expect(v.logger.times(login)).toHaveLength(1);
    expect(await v.lifecycle(copy, auth).isTokenValid()).toBe(true); // before the first one died
    const second = await v.accessorOf(client);
    expect(second).not.toBe(first);
    expect(await v.lifecycle(client, auth).isTokenValid()).toBe(true);
    expect(v.warnings()).toEqual([]);
  });

  test('a failed renewal of a login token is replaced by a new login, without a warning', async v => {
    const { auth, client, block } = await v.loggedIn('1s', '1h');
    const fault = v.refuseRenewalOnce();
    v.lifecycle(client, auth).start(block);
    await elapse(700); // the renewal at 667 ms is refused: a login follows at once
    expect(v.logger.times(/^Vault token replaced by a new approle login$/)).toHaveLength(1);
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
    await elapse(2300); // the renewal is due at 1 s + 2/3 of the 2 s left at the lookup
    expect(fault.hits).toBe(0);
    await elapse(100);
    expect(fault.hits).toBe(1);
    await elapse(300); // retried 250 ms later
    expect(v.logger.times(/recovered after 1 failed attempt/)).toHaveLength(1);
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
    await elapse(2200); // past 2/3 of what was left of its TTL at the lookup (2 s)
    expect(v.server.stats().total).toBe(1);
    expect(v.requests(LOOKUP)).toBe(1);
    expect(lifecycle.ttlS).toBe(1); // 3 s from the start, seen at 2.2 s
    await elapse(10_000);
    expect(v.server.stats().total).toBe(1);
    expect(lifecycle.ttlS).toBe(0);
  });

  test('TTL 0 (never expires): reported as 0 and nothing is scheduled', async v => {
    // The root token: lookup-self says ttl 0.
    const rootLifecycle = v.lifecycle(v.client('root'), new TokenAuth(sensitive('root')));
    rootLifecycle.start();
    expect(rootLifecycle.ttlS).toBeUndefined(); // not looked up yet
    await elapse(950);
    expect(rootLifecycle.ttlS).toBeUndefined(); // looked up 1 s after start
    await elapse(100);
    expect(rootLifecycle.ttlS).toBe(0);
    // A login that reports lease_duration 0 (a non-expiring, renewable token).
    const { auth, client, block } = await v.loggedIn('1h', '2h');
    v.server.resetStats();
    const lifecycle = v.lifecycle(client, auth);
    lifecycle.start({ ...block, lease_duration: 0, renewable: true });
    expect(lifecycle.ttlS).toBe(0);
    await elapse(60_000);
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
    await elapse(5000); // past the renewal at 667 ms and the lookup at 1 s
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
    await elapse(1050); // looked up at 1 s
    expect(v.logger.times(/may not look itself up/)).toHaveLength(1);
    await elapse(5000); // a retry would come 250 ms later, then with backoff
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
