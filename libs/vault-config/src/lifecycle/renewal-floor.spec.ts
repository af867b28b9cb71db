/**
 * A Vault that answers a lease duration or TTL of a moment (`0.001`) or of no sense (`1e308`,
 * Infinity) cannot make the lifecycles renew in a loop: every renewal waits the floor, one lease or
 * token renews at most RENEWALS_PER_WINDOW times a minute, and a duration that is no duration is a
 * broken answer (VaultResponseError). Real HTTP against the in-memory Vault, whose renew endpoints
 * answer the hostile durations (fault injection); the clock is Jest's fake one, each request that a
 * timer starts finishes on real I/O before the clock moves on.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { TokenAuth } from '../auth/token.auth.js';
import type { VaultClient } from '../client/vault.client.js';
import { VaultServerFixture } from '../client/vault-server-fixture.spec-helpers.js';
import type { SecretLease } from '../loading/source-read-result.interface.js';
import { RecordingLogger } from '../utils/recording-logger.spec-helpers.js';
import { ErrorStreak } from './error-streak.js';
import { LeaseLifecycle } from './lease-lifecycle.js';
import { RENEWAL_WINDOW_MS, RENEWALS_PER_WINDOW, RenewalBudget } from './renewal-budget.js';
import { MIN_RENEW_DELAY_MS, renewDelayMs } from './renewal-schedule.js';
import { TokenLifecycle } from './token-lifecycle.js';
import { MAX_VAULT_DURATION_S, vaultDurationS } from './vault-duration.js';

const noJitter = () => 0;
const STEP_MS = 50;

/** A server, a client whose requests are tracked, and a fake clock that waits for them. */
class Fixture extends VaultServerFixture {
  readonly logger = new RecordingLogger();
  readonly inFlight = new Set<Promise<unknown>>();
  readonly stops: Array<() => void> = [];

  static async start(): Promise<Fixture> {
    const v = new Fixture(await VaultServerFixture.startServer());
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    return v;
  }

  /** A client on the real transport whose every request the clock waits for. */
  tracked(token: string): VaultClient {
    const client = this.client(token);
    const request = client.request.bind(client);
    client.request = req => {
      const sent = request(req);
      this.inFlight.add(sent);
      void sent.then(
        () => this.inFlight.delete(sent),
        () => this.inFlight.delete(sent),
      );
      return sent;
    };
    return client;
  }

  /** Moves the fake clock `ms` on, in steps; what a timer sent is answered before the next step. */
  async elapse(ms: number): Promise<void> {
    for (let t = 0; t < ms; t += STEP_MS) {
      await jest.advanceTimersByTimeAsync(STEP_MS);
      while (this.inFlight.size) {
        await Promise.allSettled([...this.inFlight]);
        await new Promise(r => setImmediate(r));
        await jest.advanceTimersByTimeAsync(0);
      }
    }
  }

  async lease(): Promise<SecretLease> {
    await this.mountDatabase(['app']);
    await this.call('POST', 'database/roles/app', {
      db_name: 'pg',
      creation_statements: ['CREATE ROLE "{{name}}"'],
      default_ttl: 3600,
      max_ttl: 7200,
    });
    const body = await this.call('GET', 'database/creds/app');
    return { id: body.lease_id!, durationS: body.lease_duration!, renewable: true };
  }

  async close(): Promise<void> {
    for (const stop of this.stops) stop();
    jest.useRealTimers();
    await this.stopServer();
  }
}

let fixture: Fixture | undefined;
const start = async () => (fixture = await Fixture.start());
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

describe('renewal floor, budget and broken durations (pure)', () => {
  it('never schedules a renewal sooner than the floor; real TTLs keep 2/3', () => {
    expect(renewDelayMs(0.001, noJitter)).toBe(MIN_RENEW_DELAY_MS);
    expect(renewDelayMs(0, noJitter)).toBe(MIN_RENEW_DELAY_MS);
    expect(renewDelayMs(1, noJitter)).toBeCloseTo(666.67, 1); // Vault's shortest TTL
    expect(renewDelayMs(3600, noJitter)).toBe(2_400_000);
  });

  it('lets RENEWALS_PER_WINDOW renewals through a window, then defers until the oldest leaves it', () => {
    let now = 1_000_000;
    const budget = new RenewalBudget(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(budget.delay(500)).toBe(500);
      budget.spend();
      now += 1000;
    }
    expect(budget.delay(500)).toBe(57_000); // the first left at 1_060_000; now is 1_003_000
    now = 1_060_000;
    expect(budget.delay(500)).toBe(500);
    expect(RENEWALS_PER_WINDOW).toBeLessThanOrEqual(RENEWAL_WINDOW_MS / MIN_RENEW_DELAY_MS);
  });

  it('takes 0, fractions and long TTLs; refuses what no Vault duration can be, without the value', () => {
    for (const ok of [0, 0.001, 3600, MAX_VAULT_DURATION_S]) {
      expect(vaultDurationS(ok, 'p', 'ttl')).toBe(ok);
    }
    for (const broken of [1e308, Infinity, -1, NaN, '3600', null, undefined]) {
      expect(() => vaultDurationS(broken, 'sys/leases/renew', 'lease_duration')).toThrow(
        expect.objectContaining({
          name: 'VaultResponseError',
          message: expect.stringMatching(/sys\/leases\/renew: "lease_duration" is not a duration/),
        }),
      );
    }
    const message = (() => {
      try {
        return vaultDurationS(1e308, 'p', 'ttl');
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/is not a duration/);
    expect(message).not.toMatch(/1e\+?308/);
  });
});

describe('renewal floor and budget against a Vault answering a lease of 0.001 s', () => {
  it('a dynamic lease renews at most RENEWALS_PER_WINDOW times a minute', async () => {
    const v = await start();
    const lease = await v.lease();
    const renew = v.server.faults.inject({
      path: '/v1/sys/leases/renew',
      status: 200,
      body: { lease_id: lease.id, renewable: true, lease_duration: 0.001, data: null },
    });
    const streak = new ErrorStreak('lease renewal', v.logger);
    let reissues = 0;
    const lifecycle = new LeaseLifecycle(
      v.tracked('root'),
      { ...lease, durationS: 0.001 },
      async () => void reissues++,
      streak,
      noJitter,
    );
    v.stops.push(() => lifecycle.stop());

    await v.elapse(2 * RENEWAL_WINDOW_MS);
    expect(renew.hits).toBeGreaterThanOrEqual(RENEWALS_PER_WINDOW); // it does renew
    expect(renew.hits).toBeLessThanOrEqual(2 * RENEWALS_PER_WINDOW);
    expect(reissues).toBe(0);
  });

  it('a token renews at most RENEWALS_PER_WINDOW times a minute', async () => {
    const v = await start();
    const token = (await v.call('POST', 'auth/token/create', { ttl: '1h' })).auth!.client_token;
    const renew = v.server.faults.inject({
      path: '/v1/auth/token/renew-self',
      status: 200,
      body: { auth: { client_token: token, lease_duration: 0.001, renewable: true } },
    });
    const lifecycle = new TokenLifecycle(v.tracked(token), new TokenAuth(undefined), v.logger);
    v.stops.push(() => lifecycle.stop());
    lifecycle.start({ client_token: token, lease_duration: 0.001, renewable: true });

    await v.elapse(2 * RENEWAL_WINDOW_MS);
    expect(renew.hits).toBeGreaterThanOrEqual(RENEWALS_PER_WINDOW);
    expect(renew.hits).toBeLessThanOrEqual(2 * RENEWALS_PER_WINDOW);
  });
});

describe('a lease duration or TTL that is no duration', () => {
  it('a renewal answering 1e308 fails (VaultResponseError): the lease is re-issued, not kept forever', async () => {
    const v = await start();
    const lease = await v.lease();
    v.server.faults.inject({
      path: '/v1/sys/leases/renew',
      status: 200,
      body: { lease_id: lease.id, renewable: true, lease_duration: 1e308, data: null },
    });
    const failures: unknown[] = [];
    let reissues = 0;
    const lifecycle = new LeaseLifecycle(
      v.tracked('root'),
      { ...lease, durationS: 3 },
      async () => void reissues++,
      new ErrorStreak('lease renewal', v.logger),
      noJitter,
      (_action, error) => void (error && failures.push(error)),
    );
    v.stops.push(() => lifecycle.stop());
    await v.elapse(2500);
    expect(failures).toEqual([expect.objectContaining({ name: 'VaultResponseError' })]);
    expect(reissues).toBe(1);
  });

  it('a lease read with an infinite duration is kept without a schedule, with one warning', async () => {
    const v = await start();
    const lease = await v.lease();
    const lifecycle = new LeaseLifecycle(
      v.tracked('root'),
      { ...lease, durationS: Infinity },
      async () => undefined,
      new ErrorStreak('lease renewal', v.logger),
      noJitter,
    );
    v.stops.push(() => lifecycle.stop());
    await v.elapse(RENEWAL_WINDOW_MS);
    expect(lifecycle.expiresAt).toBeUndefined();
    expect(v.requests('PUT /v1/sys/leases/renew')).toBe(0);
    expect(v.logger.lines('warn')).toEqual([
      expect.stringMatching(
        /^Vault lease renewal failed \(VaultResponseError: .*"lease_duration" is not a duration/,
      ),
    ]);
  });

  it('a login answering a TTL of 1e308: the token TTL is looked up instead, never Infinity', async () => {
    const v = await start();
    const token = (await v.call('POST', 'auth/token/create', { ttl: '1h' })).auth!.client_token;
    const lifecycle = new TokenLifecycle(v.tracked(token), new TokenAuth(undefined), v.logger);
    v.stops.push(() => lifecycle.stop());
    lifecycle.start({ client_token: token, lease_duration: 1e308, renewable: true });
    expect(lifecycle.ttlS).toBeUndefined();
    expect(lifecycle.lastError).toMatchObject({ error: 'VaultResponseError' });
    await v.elapse(1000);
    expect(lifecycle.ttlS).toBeGreaterThan(3500);
    expect(lifecycle.ttlS).toBeLessThanOrEqual(3600);
    expect(lifecycle.lastError).toBeUndefined();
    expect(JSON.stringify({ ttl: lifecycle.ttlS })).not.toContain('null');
  });
});
