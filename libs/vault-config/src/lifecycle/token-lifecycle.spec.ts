/**
 * TokenLifecycle on real HTTP against the in-memory Vault: token TTLs of 1–3 s on real time, and
 * `random = () => 0` so every renewal lands exactly at 2/3 of the TTL.
 */
import { describe, expect } from '@jest/globals';
import { TokenAuth } from '../auth/token.auth.js';
import { Fixture, sensitive, sleep } from './token-lifecycle.spec-helpers.js';
import { fixtureTest } from '../utils/fixture-test.spec-helpers.js';

const LOGIN = 'POST /v1/auth/approle/login';
const RENEW = 'POST /v1/auth/token/renew-self';
const LOOKUP = 'GET /v1/auth/token/lookup-self';

const test = fixtureTest(() => Fixture.start());

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
