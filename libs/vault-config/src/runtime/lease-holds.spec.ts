/**
 * LeaseRegistry's holds (what `nestjs-vault-config/pg` asks of it), on real HTTP against the
 * in-memory Vault's database engine, on a fake clock (the server's lease expiry follows it):
 * 10 s leases with a 10 s max TTL, renewed at 2/3 (`random = () => 0`).
 */
import { describe, expect } from '@jest/globals';
import { VaultServerFixture, type VaultBody } from '../client/vault-server-fixture.spec-helpers.js';
import { ErrorStreak } from '../lifecycle/error-streak.js';
import { clockedTest, fakeClock } from '../lifecycle/fake-clock.spec-helpers.js';
import type { SecretLease } from '../loading/source-read-result.interface.js';
import { RecordingLogger } from '../utils/recording-logger.spec-helpers.js';
import { LeaseRegistry } from './lease-registry.js';

class Fixture extends VaultServerFixture {
  readonly logger = new RecordingLogger();
  readonly registry: LeaseRegistry;
  readonly leases: SecretLease[] = [];
  /** Fake milliseconds at each re-issue, and the old lease's seconds left then (as Vault says). */
  readonly reissues: Array<{ at: number; oldLeftS: number | undefined }> = [];

  private constructor(server: VaultServerFixture['server']) {
    super(server);
    fakeClock.track(this.root);
    const reissue = async (index: number) => {
      const old = this.leases.at(-1)!;
      this.reissues.push({ at: fakeClock.elapsed, oldLeftS: await this.ttlOf(old) });
      this.registry.keep(index, await this.issue(), this.root); // as the runtime does
    };
    this.registry = new LeaseRegistry(
      new ErrorStreak('lease renewal', this.logger),
      reissue,
      () => 0,
    );
  }

  static async start(): Promise<Fixture> {
    const fixture = new Fixture(await VaultServerFixture.startServer());
    await fixture.mountDatabase(['app']);
    await fixture.call('POST', 'database/roles/app', {
      db_name: 'pg',
      creation_statements: ['CREATE ROLE "{{name}}"'],
      default_ttl: 10,
      max_ttl: 10,
    });
    return fixture;
  }

  async issue(): Promise<SecretLease> {
    const envelope = (await this.root.read('database/creds/app'))!;
    const lease = {
      id: envelope.lease_id!,
      durationS: envelope.lease_duration!,
      renewable: envelope.renewable === true,
    };
    this.leases.push(lease);
    return lease;
  }

  async ttlOf(lease: SecretLease): Promise<number | undefined> {
    const res = await this.root.request({
      method: 'PUT',
      path: 'sys/leases/lookup',
      body: { lease_id: lease.id },
    });
    return res.status === 200 ? ((res.body as VaultBody).data!.ttl as number) : undefined;
  }

  async close(): Promise<void> {
    this.registry.stopAll();
    await this.stopServer();
  }
}

const test = clockedTest(() => Fixture.start());

describe('LeaseRegistry holds: lead time and revocation after the drain', () => {
  test('without a lead, the re-issue after a capped renewal leaves about 1 s', async v => {
    v.registry.keep(0, await v.issue(), v.root);
    await fakeClock.elapse(9_500);
    expect(v.reissues).toHaveLength(1);
    expect(v.reissues[0].oldLeftS).toBeLessThanOrEqual(2);
  });

  test('attach(index, 4000): the re-issue comes with at least the lead left (less the floor)', async v => {
    v.registry.keep(0, await v.issue(), v.root);
    const detach = v.registry.attach(0, 4_000); // after the plan: it is moved earlier
    await fakeClock.elapse(7_000);
    expect(v.reissues).toHaveLength(1);
    expect(v.reissues[0].at).toBeLessThanOrEqual(6_500);
    expect(v.reissues[0].oldLeftS).toBeGreaterThanOrEqual(3);
    detach();
  });

  test('a held lease replaced by a re-issue is revoked when released, not before', async v => {
    v.registry.keep(0, await v.issue(), v.root);
    const hold = v.registry.hold(0)!;
    expect(hold.expiresAt).toBeGreaterThan(Date.now());
    v.registry.keep(0, await v.issue(), v.root); // a re-issue
    const [old, current] = v.leases;
    expect(await v.ttlOf(old)).toBeGreaterThan(0); // still held: its connections may be in use
    await hold.release();
    await hold.release(); // once is enough
    expect(await v.ttlOf(old)).toBeUndefined();
    expect(await v.ttlOf(current)).toBeGreaterThan(0);
  });

  test('releasing the hold of the current lease revokes nothing; revokeAll() ends held old ones', async v => {
    v.registry.keep(0, await v.issue(), v.root);
    const first = v.registry.hold(0)!;
    v.registry.keep(0, await v.issue(), v.root);
    const second = v.registry.hold(0)!;
    await second.release();
    const [old, current] = v.leases;
    expect(await v.ttlOf(current)).toBeGreaterThan(0);
    expect(await v.registry.revokeAll()).toBe(0);
    expect(await v.ttlOf(old)).toBeUndefined();
    expect(await v.ttlOf(current)).toBeUndefined();
    await first.release(); // already revoked: nothing more to do
  });
});
