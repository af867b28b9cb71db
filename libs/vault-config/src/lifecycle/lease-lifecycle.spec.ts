/**
 * LeaseLifecycle on real HTTP against the in-memory Vault's database engine: leases of 1–3 s on
 * Jest's fake clock (the server's expiry follows it), `random = () => 0` so renewals land exactly at
 * 2/3 of the lease. The re-issue is a real read of new credentials. Times are fake milliseconds
 * since the lifecycle started, moved on in steps of 50 ms: exact whatever the machine's load.
 */
import { describe, expect } from '@jest/globals';
import type { VaultClient } from '../client/vault.client.js';
import { VaultServerFixture, type VaultBody } from '../client/vault-server-fixture.spec-helpers.js';
import { VaultResponseError } from '../errors/vault-response.error.js';
import type { SecretLease } from '../loading/source-read-result.interface.js';
import { ErrorStreak } from './error-streak.js';
import { LeaseLifecycle } from './lease-lifecycle.js';
import { RecordingLogger } from '../utils/recording-logger.spec-helpers.js';
import { clockedTest, fakeClock } from './fake-clock.spec-helpers.js';

const noJitter = () => 0;
const RENEW = 'PUT /v1/sys/leases/renew';

/** One server per test, with the database engine; everything is closed at the end. */
class Fixture extends VaultServerFixture {
  readonly logger = new RecordingLogger();
  readonly streak = new ErrorStreak('lease renewal', this.logger);
  /** Passwords and lease ids handed out: none may reach a log line or an error message. */
  readonly secrets: string[] = [];
  /** When each re-issue ran (ms after `started`). */
  readonly reissues: number[] = [];
  started = Date.now();
  readonly #lifecycles: LeaseLifecycle[] = [];

  static async start(): Promise<Fixture> {
    const fixture = new Fixture(await VaultServerFixture.startServer());
    await fixture.mountDatabase(['*']);
    return fixture;
  }

  /** Every client, the root one too, is one the fake clock waits for. */
  override client(token?: string): VaultClient {
    return fakeClock.track(super.client(token));
  }

  /** A role issuing credentials for `ttlS` seconds, renewable up to `maxTtlS`. */
  async role(name: string, ttlS: number, maxTtlS: number): Promise<string> {
    await this.call('POST', `database/roles/${name}`, {
      db_name: 'pg',
      creation_statements: ['CREATE ROLE "{{name}}"'],
      default_ttl: ttlS,
      max_ttl: maxTtlS,
    });
    return `database/creds/${name}`;
  }

  /** Reads new credentials, as a dynamic source does; the lease as the reader reports it. */
  async issue(path: string, client = this.root): Promise<SecretLease> {
    const envelope = (await client.read(path))!;
    this.secrets.push(envelope.data.password as string, envelope.lease_id!.split('/').pop()!);
    return {
      id: envelope.lease_id!,
      durationS: envelope.lease_duration!,
      renewable: envelope.renewable === true,
    };
  }

  /** A lifecycle whose re-issue reads new credentials from `path`. */
  lifecycle(lease: SecretLease, path: string, client = this.root): LeaseLifecycle {
    const reissue = async () => {
      await this.issue(path, client);
      this.reissues.push(Date.now() - this.started);
    };
    this.started = Date.now();
    const lifecycle = new LeaseLifecycle(client, lease, reissue, this.streak, noJitter);
    this.#lifecycles.push(lifecycle);
    return lifecycle;
  }

  /** Seconds Vault says the lease has left; undefined once Vault no longer knows it. */
  async ttlOf(lease: SecretLease): Promise<number | undefined> {
    const res = await this.root.request({
      method: 'PUT',
      path: 'sys/leases/lookup',
      body: { lease_id: lease.id },
    });
    return res.status === 200 ? ((res.body as VaultBody).data!.ttl as number) : undefined;
  }

  async close(): Promise<void> {
    for (const lifecycle of this.#lifecycles) lifecycle.stop();
    await this.stopServer();
    const lines = this.logger.calls.map(c => c.message).join('\n');
    for (const secret of this.secrets) expect(lines).not.toContain(secret);
  }
}

const test = clockedTest(() => Fixture.start());
const elapse = (ms: number) => fakeClock.elapse(ms);

describe('LeaseLifecycle (real HTTP, in-memory Vault database engine)', () => {
  test('renews at 2/3 of the lease and, granted its full duration again, keeps renewing', async v => {
    const path = await v.role('renew', 2, 60);
    const lease = await v.issue(path);
    v.streak.fail(new Error('another lease failed'), 'retrying'); // the streak is shared
    v.lifecycle(lease, path);
    await elapse(1300);
    expect(v.requests(RENEW)).toBe(0); // 2/3 of 2 s is 1333 ms
    await elapse(50);
    expect(v.requests(RENEW)).toBe(1);
    expect(await v.ttlOf(lease)).toBe(2); // renewed for 2 s; else 0.65 s left
    await elapse(1300);
    expect(v.requests(RENEW)).toBe(1); // the next comes 2/3 of the 2 s granted later, not sooner
    await elapse(100);
    expect(v.requests(RENEW)).toBe(2); // 2 s granted, so it renews again
    await elapse(5000);
    expect(v.requests(RENEW)).toBe(5); // every 1.33 s (the steps round each up to 1.35 s)
    expect(await v.ttlOf(lease)).toBeGreaterThanOrEqual(1); // alive 9 s on, well past its 2 s
    expect(v.reissues).toEqual([]);
    expect(v.logger.calls.map(c => c.message)).toEqual([
      'Vault lease renewal failed (Error: Error (details hidden)); retrying',
      'Vault lease renewal recovered after 1 failed attempt(s)', // a renewal ends the streak
    ]);
  });

  test('when the max TTL caps a renewal, new credentials are issued before the lease ends', async v => {
    // Renewed at 2 s with 2 s left of the max TTL: capped (2 s < 3 s), re-issued 1.33 s later.
    const path = await v.role('capped', 3, 4);
    const lease = await v.issue(path);
    v.lifecycle(lease, path);
    await elapse(3300);
    expect(v.requests(RENEW)).toBe(1);
    expect(v.reissues).toEqual([]);
    await elapse(100);
    expect(v.reissues).toHaveLength(1); // at 2 s + 2/3 of the 2 s granted: 3.33 s
    expect(await v.ttlOf(lease)).toBeGreaterThan(0); // before the 4 s max TTL ended the old lease
    await elapse(600);
    expect(v.requests(RENEW)).toBe(1); // the capped lease is never renewed again
    expect(v.logger.calls).toEqual([]);
  });

  test('a lease that is not renewable is re-issued at 2/3 of its duration, never renewed', async v => {
    const path = await v.role('fixed', 1, 60);
    const lease = await v.issue(path);
    v.lifecycle({ ...lease, renewable: false }, path);
    await elapse(650);
    expect(v.reissues).toEqual([]); // 2/3 of 1 s is 667 ms
    await elapse(50);
    expect(v.reissues).toHaveLength(1);
    expect(v.requests(RENEW)).toBe(0);
  });

  test('a refused renewal falls back to new credentials, quietly when that works', async v => {
    const path = await v.role('refused', 1, 60);
    const lease = await v.issue(path);
    const fault = v.server.faults.inject({ path: '/v1/sys/leases/renew', status: 400, times: 1 });
    v.lifecycle(lease, path);
    await elapse(700);
    expect(fault.hits).toBe(1);
    expect(v.reissues).toHaveLength(1);
    expect(v.streak.failures).toBe(0);
    expect(v.logger.calls).toEqual([]);
  });

  test('a failed re-issue retries with backoff: one warning, then the recovery', async v => {
    const path = await v.role('retry', 1, 60);
    const lease = await v.issue(path);
    const outage = v.server.faults.inject({ path: `/v1/${path}`, status: 503, times: 2 });
    v.lifecycle({ ...lease, renewable: false }, path);
    await elapse(1150); // at 667 ms, then 250 ms and 250 ms after each failure
    expect(outage.hits).toBe(2);
    expect(v.reissues).toEqual([]);
    await elapse(150);
    expect(v.reissues).toHaveLength(1);
    expect(v.logger.calls).toEqual([
      {
        level: 'warn',
        message: expect.stringMatching(
          /^Vault lease renewal failed \(VaultUnavailableError: .*HTTP_503.*\); retrying with backoff$/,
        ),
      },
      { level: 'log', message: 'Vault lease renewal recovered after 2 failed attempt(s)' },
    ]);
  });

  test('stop() prevents every later renewal and re-issue', async v => {
    const path = await v.role('stopped', 1, 60);
    const renewable = await v.issue(path);
    const fixed = await v.issue(path);
    v.server.resetStats();
    v.lifecycle(renewable, path).stop();
    v.lifecycle({ ...fixed, renewable: false }, path).stop();
    await elapse(5000);
    expect(v.server.stats().total).toBe(0);
    expect(v.reissues).toEqual([]);
  });

  test('a lease without expiry (duration 0) schedules nothing', async v => {
    const path = await v.role('forever', 1, 60);
    const lease = await v.issue(path);
    v.server.resetStats();
    v.lifecycle({ ...lease, durationS: 0 }, path);
    await elapse(60_000);
    expect(v.server.stats().total).toBe(0);
    expect(v.reissues).toEqual([]);
  });

  test('revoke() ends the lease in Vault and stops its renewal', async v => {
    const path = await v.role('revoked', 1, 60);
    const lease = await v.issue(path);
    const lifecycle = v.lifecycle(lease, path);
    await lifecycle.revoke();
    expect(await v.ttlOf(lease)).toBeUndefined();
    v.server.resetStats();
    await elapse(5000);
    expect(v.server.stats().total).toBe(0);
  });

  test('a refused revoke rejects with an error that names the source, never the lease id', async v => {
    const path = await v.role('denied', 60, 120);
    await v.call('PUT', 'sys/policies/acl/creds-only', {
      policy: 'path "database/creds/*" { capabilities = ["read"] }',
    });
    const created = await v.call('POST', 'auth/token/create', { policies: ['creds-only'] });
    v.secrets.push(created.auth!.client_token);
    const client = v.client(created.auth!.client_token);
    const lease = await v.issue(path, client);
    const error = await v
      .lifecycle(lease, path, client)
      .revoke()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultResponseError);
    const message = (error as Error).message;
    expect(message).toContain('could not revoke the lease of database/creds/denied');
    expect(message).not.toContain(lease.id.split('/').pop());
    expect(await v.ttlOf(lease)).toBeGreaterThan(0);
  });
});
