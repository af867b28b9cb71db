/**
 * LeaseRegistry on real HTTP against the in-memory Vault's database engine: 1 s leases, renewed
 * at 667 ms (`random = () => 0`).
 */
import { describe, expect } from '@jest/globals';
import { VaultServerFixture, type VaultBody } from '../client/vault-server-fixture.spec-helpers.js';
import { ErrorStreak } from '../lifecycle/error-streak.js';
import type { SecretLease } from '../loading/source-read-result.interface.js';
import { LeaseRegistry } from './lease-registry.js';
import { fixtureTest } from '../utils/fixture-test.spec-helpers.js';
import { RecordingLogger } from '../utils/recording-logger.spec-helpers.js';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const RENEW = 'PUT /v1/sys/leases/renew';

/** One server per test with a `database/creds/app` role of 1 s leases; a registry on it. */
class Fixture extends VaultServerFixture {
  readonly logger = new RecordingLogger();
  readonly secrets: string[] = [];
  /** The indexes `reissue` was called with. */
  readonly reissued: number[] = [];
  readonly registry: LeaseRegistry;

  private constructor(server: VaultServerFixture['server']) {
    super(server);
    const reissue = async (index: number) => {
      this.reissued.push(index);
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
      default_ttl: 1,
      max_ttl: 60,
    });
    return fixture;
  }

  async issue(): Promise<SecretLease> {
    const envelope = (await this.root.read('database/creds/app'))!;
    this.secrets.push(envelope.data.password as string);
    return {
      id: envelope.lease_id!,
      durationS: envelope.lease_duration!,
      renewable: envelope.renewable === true,
    };
  }

  /** Seconds left (rounded) as Vault sees it; undefined once Vault no longer knows the lease. */
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
    const lines = this.logger.calls.map(c => c.message).join('\n');
    for (const secret of this.secrets) expect(lines).not.toContain(secret);
  }
}

const test = fixtureTest(() => Fixture.start());

describe('LeaseRegistry (real HTTP, in-memory Vault database engine)', () => {
  test('keep() keeps a lease alive; keeping another at the same index replaces it', async v => {
    const [first, second] = [await v.issue(), await v.issue()];
    v.registry.keep(0, first, v.root);
    expect(v.registry.has(0)).toBe(true);
    v.registry.keep(0, second, v.root);
    v.server.resetStats();
    await sleep(850); // renewed at 667 ms
    expect(v.requests(RENEW)).toBe(1);
    expect(await v.ttlOf(second)).toBe(1); // renewed for 1 s
    expect([0, undefined]).toContain(await v.ttlOf(first)); // left to run out
    expect(v.reissued).toEqual([]);
  });

  test('keep() without a lease, or without a client, stops and forgets the old one', async v => {
    v.registry.keep(0, await v.issue(), v.root);
    v.registry.keep(0, undefined, v.root);
    v.registry.keep(1, await v.issue(), v.root);
    v.registry.keep(1, await v.issue(), undefined);
    expect(v.registry.has(0)).toBe(false);
    expect(v.registry.has(1)).toBe(false);
    v.server.resetStats();
    await sleep(850);
    expect(v.server.stats().total).toBe(0);
  });

  test('a lease that cannot be renewed is re-issued through `reissue(index)`', async v => {
    const lease = await v.issue();
    v.registry.keep(3, { ...lease, renewable: false }, v.root);
    await sleep(850); // re-issued at 667 ms
    expect(v.reissued).toEqual([3]);
    expect(v.requests(RENEW)).toBe(0);
    expect(v.registry.has(3)).toBe(true); // the new lease, kept by the re-issue
  });

  test('stopAll(): no renewal after it, keep() starts nothing, revokeAll() still ends them all', async v => {
    const [a, b, late] = [await v.issue(), await v.issue(), await v.issue()];
    v.registry.keep(0, a, v.root);
    v.registry.keep(1, b, v.root);
    v.registry.stopAll();
    v.registry.keep(2, late, v.root);
    expect(v.registry.has(2)).toBe(false);
    v.server.resetStats();
    await sleep(850);
    expect(v.server.stats().total).toBe(0);
    expect(await v.registry.revokeAll()).toBe(0);
    expect(await v.ttlOf(a)).toBeUndefined();
    expect(await v.ttlOf(b)).toBeUndefined();
    expect(await v.ttlOf(late)).toBeDefined(); // never registered
  });

  test('revokeAll() revokes every lease and counts the ones Vault refused', async v => {
    await v.call('PUT', 'sys/policies/acl/creds-only', {
      policy: 'path "database/creds/*" { capabilities = ["read"] }',
    });
    const token = (await v.call('POST', 'auth/token/create', { policies: ['creds-only'] })).auth!
      .client_token;
    v.secrets.push(token);
    const [ours, refused] = [await v.issue(), await v.issue()];
    v.registry.keep(0, ours, v.root);
    v.registry.keep(1, refused, v.client(token));
    expect(await v.registry.revokeAll()).toBe(1);
    expect(await v.ttlOf(ours)).toBeUndefined();
    expect(await v.ttlOf(refused)).toBeDefined();
  });
});
