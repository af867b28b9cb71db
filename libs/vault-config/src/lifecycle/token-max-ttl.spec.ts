/**
 * The end of renewal: a token at its max TTL is a login event (or, for a fixed token, one clear
 * warning with the expiry) — never "never expires", never an outage; and a token revoked right
 * after boot is reported as rejected, not as a policy without lookup-self.
 */
import { describe, expect, it } from '@jest/globals';
import { TokenAuth } from '../auth/token.auth.js';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import { isPastMaxTtl } from './past-max-ttl.js';
import { Fixture, sensitive, sleep } from './token-lifecycle.spec-helpers.js';
import { fixtureTest } from '../utils/fixture-test.spec-helpers.js';

const LOGIN = 'POST /v1/auth/approle/login';
const RENEW = 'POST /v1/auth/token/renew-self';

const test = fixtureTest(() => Fixture.start());

describe('TokenLifecycle at the max TTL', () => {
  test('a fixed token renewed up to its max TTL warns once with the expiry, then stops', async v => {
    const token = await v.token({ ttl: '2s', explicit_max_ttl: '3s', policies: ['default'] });
    const client = v.client(token);
    const lifecycle = v.lifecycle(client, new TokenAuth(sensitive(token)));
    lifecycle.start({ client_token: token, lease_duration: 2, renewable: true });
    await sleep(4500);
    const warnings = v.warnings().filter(w => /max TTL/.test(w));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /reaches its max TTL at \d{4}-\d\d-\d\dT.*cannot be renewed past it/,
    );
    // Not "never expires" (0) and not unknown: the TTL ran out.
    expect(lifecycle.ttlS).toBe(0);
    expect(lifecycle.lastError).toBeUndefined();
    const renewals = v.requests(RENEW);
    await sleep(1500);
    expect(v.requests(RENEW)).toBe(renewals); // nothing more is tried
  });

  test('a login method logs in again when renewal reaches the max TTL', async v => {
    const { auth, client, block } = await v.loggedIn('2s', '3s');
    const lifecycle = v.lifecycle(client, auth);
    lifecycle.start(block);
    await sleep(4500);
    expect(v.requests(LOGIN)).toBeGreaterThanOrEqual(2);
    expect(lifecycle.ttlS).toBeGreaterThan(0);
    expect(v.warnings().filter(w => /max TTL/.test(w))).toEqual([]);
  });

  test('a 500 "past the max TTL" on renewal is no outage: a fixed token warns, no retries', async v => {
    const token = await v.token({ ttl: '3s', policies: ['default'] });
    const client = v.client(token);
    const refusal = v.server.faults.inject({
      path: '/v1/auth/token/renew-self',
      status: 500,
      body: { errors: ['past the max TTL, cannot renew'] },
    });
    const lifecycle = v.lifecycle(client, new TokenAuth(sensitive(token)));
    lifecycle.start({ client_token: token, lease_duration: 3, renewable: true });
    await sleep(2600);
    expect(refusal.hits).toBe(1);
    expect(v.warnings().filter(w => /max TTL/.test(w))).toHaveLength(1);
    expect(v.warnings().filter(w => /unavailable|network/i.test(w))).toEqual([]);
    expect(lifecycle.lastError).toBeUndefined();
  });
});

describe('TokenLifecycle when lookup-self is denied', () => {
  test('a token revoked right after boot is reported as rejected', async v => {
    const token = await v.token({ ttl: '1h', policies: ['default'] });
    const client = v.client(token);
    await v.call('POST', 'auth/token/revoke', { token });
    const lifecycle = v.lifecycle(client, new TokenAuth(sensitive(token)), async () => false);
    lifecycle.start();
    await sleep(1300);
    expect(lifecycle.lastError).toMatchObject({ error: 'VaultAuthError' });
    expect(lifecycle.lastError?.reason).toMatch(/token rejected/);
    expect(v.warnings().some(w => /may not look itself up/.test(w))).toBe(false);
  });

  test('a policy without lookup-self is a choice: one warning, the token is used as it is', async v => {
    const token = await v.token({ ttl: '1h', policies: ['default'] });
    const client = v.client(token);
    v.server.faults.inject({ path: '/v1/auth/token/lookup-self', status: 403 });
    const lifecycle = v.lifecycle(client, new TokenAuth(sensitive(token)), async () => true);
    lifecycle.start();
    await sleep(1300);
    expect(v.warnings().filter(w => /may not look itself up/.test(w))).toHaveLength(1);
    expect(lifecycle.lastError).toBeUndefined();
  });
});

describe('isPastMaxTtl', () => {
  it('knows Vault answers about the max TTL and nothing else', () => {
    const unavailable = (errors: string[]) =>
      new VaultUnavailableError({ address: 'x', errorCode: 'HTTP_500', vaultErrors: errors });
    expect(isPastMaxTtl(unavailable(['past the max TTL, cannot renew']))).toBe(true);
    expect(isPastMaxTtl(unavailable(['internal error']))).toBe(false);
    expect(isPastMaxTtl(new Error('max TTL'))).toBe(false);
  });
});
