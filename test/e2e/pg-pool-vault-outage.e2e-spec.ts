/**
 * Vault away when a dynamic lease is due for replacement, under a steady query load on a
 * `createVaultPgPool` pool (small `maxUses`: clients log in again all the time) against OpenBao and
 * PostgreSQL. Proves: the current credentials keep working until the lease truly expires (no failed
 * query before; logins after it are refused, so the test did wait through it); `/health` is `down`
 * while Vault cannot be reached, and `degraded` (credentials-not-renewed) while Vault answers but
 * refuses, then `down` once the lease is past its expiry; when Vault is back the module re-issues
 * without a restart, the pool swaps, queries succeed again and the expired user is gone.
 * The in-memory server creates no database users: there this suite is a named skip.
 */
import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { SecretsService } from 'nestjs-vault-config';
import { createVaultPgPool } from 'nestjs-vault-config/pg';
import { expectNoCanary } from '../support/canary.js';
import { putPolicy } from '../support/contract-helpers.js';
import { configureDatabaseEngine } from '../support/database-engine.js';
import { bootHealthApp, getHealth } from '../support/health-app.js';
import { eventually, tokenWithPolicy } from '../support/lifecycle-support.js';
import { CapturingLogger } from '../support/module-support.js';
import { startOutageProxy, type OutageProxy } from '../support/outage-proxy.js';
import {
  folded,
  recordHealth,
  recordLogins,
  recordQueries,
  type Outcome,
} from '../support/pg-outage-support.js';
import { createSoakTable } from '../support/pg-soak-support.js';
import {
  describeDatabaseTargets,
  startPostgres,
  type PostgresServer,
} from '../support/postgres.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

const DRAIN_MS = 1_000;
/** The pool asks for the re-issue drainTimeoutMs + 2 s before the lease expires. */
const LEAD_MS = DRAIN_MS + 2_000;
/**
 * PostgreSQL's VALID UNTIL (the role's `{{expiration}}`) has whole-second precision: it may refuse a
 * login up to a second before the lease's expiry as the module computed it.
 */
const VALID_UNTIL_PRECISION_MS = 1_000;
const CREDS = 'path "database/creds/outage" { capabilities = ["read"] }\n';
const RENEW = 'path "sys/leases/renew" { capabilities = ["update"] }\n';
const KEEP =
  'path "sys/leases/revoke" { capabilities = ["update"] }\n' +
  'path "auth/token/lookup-self" { capabilities = ["read"] }\n';

interface Generation {
  readonly expiresAt: number | undefined;
  readonly credentials: { readonly user: string };
}

describeDatabaseTargets('pg pool when Vault is away at rotation time (%s)', kind => {
  if (kind === 'memory') {
    it.skip('the in-memory server creates no database users: this suite runs on OpenBao', () => {});
    return;
  }
  let target: VaultTarget;
  let pg: PostgresServer;
  let proxy: OutageProxy;
  const logger = new CapturingLogger();
  const outputs: string[] = [];
  const secretsSeen: string[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    target = await startTarget(kind);
    pg = await startPostgres();
    proxy = await startOutageProxy(target.url);
    await createSoakTable(pg);
    await configureDatabaseEngine(target, pg, { role: 'outage', defaultTtl: 8, maxTtl: 8 });
  }, 60_000);
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });
  afterAll(async () => {
    await Promise.allSettled([proxy?.stop(), pg?.stop(), target?.stop()]);
    expectNoCanary([...outputs, ...logger.lines], secretsSeen);
  });

  /** An app on `address` with the dynamic source, a pool on it, the load and the recorders. */
  async function start(address: string, policy: string) {
    const token = await tokenWithPolicy(target, policy, CREDS + RENEW + KEEP);
    const app: INestApplication = await bootHealthApp(
      {
        address,
        auth: { method: 'token', token },
        sources: [{ type: 'dynamic', mount: 'database', path: 'creds/outage', prefix: 'DYN_' }],
        envFallback: false,
        revokeOnShutdown: true,
        healthCacheMs: 0,
        healthTimeoutMs: 1_000,
        timeoutMs: 1_000,
        retry: { attempts: 1 },
      },
      logger,
    );
    cleanups.push(() => app.close());
    const secrets = app.get(SecretsService);
    const pool = createVaultPgPool(secrets, {
      user: 'DYN_username',
      password: 'DYN_password',
      pool: { host: pg.host, port: pg.port, database: 'postgres', max: 3, maxUses: 8 },
      drainTimeoutMs: DRAIN_MS,
    });
    cleanups.push(() => pool.end());
    pool.on('error', () => undefined); // idle clients of a dropped user; counted by the queries
    const generations = () => (pool as unknown as { generations: Generation[] }).generations;
    const lease = generations()[0];
    const swaps: number[] = [];
    secretsSeen.push(secrets.getOrThrow('DYN_password'));
    secrets.onSecretsChanged(() => {
      secretsSeen.push(secrets.getOrThrow('DYN_password'));
      swaps.push(Date.now());
    });
    const logins = recordLogins(pool);
    const queries = recordQueries(pool);
    const health = recordHealth(app, outputs);
    cleanups.push(() => Promise.all([queries.stop(), health.stop()]));
    await leaseExpiry(lease);
    // Live: a renewal Vault caps at the max TTL (whole seconds) moves the expiry by a few ms.
    const expiresAt = () => lease.expiresAt as number;
    return { app, secrets, pool, generations, lease, expiresAt, swaps, logins, queries, health };
  }

  async function leaseExpiry(generation: Generation): Promise<void> {
    // The pool takes its hold on the lease a turn after it is built.
    expect(await eventually(() => generation.expiresAt !== undefined, 2_000)).toBe(true);
  }

  /** Waits until the re-issue is ≈ 1.5 s away (the lease has LEAD_MS + 1.5 s left). */
  async function untilReissueIsNear(expiresAt: () => number): Promise<void> {
    expect(await eventually(() => expiresAt() - Date.now() <= LEAD_MS + 1_500, 10_000)).toBe(true);
  }

  const failedAfter = (seen: readonly Outcome[], at: number) => seen.some(o => !o.ok && o.at > at);

  /** Back after the outage: a new lease, the pool on it, the expired user gone, queries succeed. */
  async function expectRecovery(
    run: Awaited<ReturnType<typeof start>>,
    backAt: number,
  ): Promise<void> {
    const { generations, lease, swaps, queries } = run;
    const recovered = () => swaps.length > 0 && generations().length === 1;
    expect(await eventually(recovered, 45_000)).toBe(true);
    const drainedAt = Date.now();
    const [current] = generations();
    expect(current.credentials.user).not.toBe(lease.credentials.user);
    // The re-issue came after Vault was back, none during the outage.
    expect(swaps[0]).toBeGreaterThanOrEqual(backAt);
    expect(
      await eventually(() => queries.seen.filter(o => o.at > drainedAt).length >= 20, 10_000),
    ).toBe(true);
    expect(queries.seen.filter(o => o.at > drainedAt && !o.ok)).toEqual([]);
    expect(await pg.roleExists(lease.credentials.user)).toBe(false);
    report(run, backAt, drainedAt);
    expect(await pg.roleExists(current.credentials.user)).toBe(true);
    expect(
      await eventually(async () => (await getHealth(run.app, outputs)).body.status === 'ok', 5_000),
    ).toBe(true);
  }

  function report(run: Awaited<ReturnType<typeof start>>, backAt: number, drainedAt: number) {
    const { queries, swaps } = run;
    const expiresAt = run.expiresAt();
    const figures = {
      okBeforeExpiry: queries.seen.filter(o => o.ok && o.at < expiresAt).length,
      failedAfterExpiry: queries.seen.filter(o => !o.ok && o.at >= expiresAt).length,
      firstFailureMsAfterExpiry: (queries.seen.find(o => !o.ok)?.at ?? NaN) - expiresAt,
      reissuedMsAfterBack: swaps[0] - backAt,
      drainedMsAfterBack: drainedAt - backAt,
      health: folded(run.health.seen),
    };
    process.stdout.write(`pg vault outage (${kind}): ${JSON.stringify(figures)}\n`);
  }

  /** No failed query while the lease was valid, and queries and logins on it during the outage. */
  function expectServedUntilExpiry(run: Awaited<ReturnType<typeof start>>, awayAt: number): void {
    const validUntil = run.expiresAt() - VALID_UNTIL_PRECISION_MS;
    const before = run.queries.seen.filter(o => o.at < validUntil);
    outputs.push(...run.queries.seen.flatMap(o => (o.error ? [o.error] : [])));
    expect(before.filter(o => !o.ok)).toEqual([]);
    expect(before.filter(o => o.at > awayAt).length).toBeGreaterThan(10);
    expect(run.logins.filter(at => at > awayAt && at < validUntil).length).toBeGreaterThan(0);
  }

  it('unreachable: serves on the current credentials until the lease expires; health down; back without a restart', async () => {
    const run = await start(proxy.url, 'pg-outage-cut');
    await untilReissueIsNear(run.expiresAt);
    expect(run.swaps).toEqual([]);
    const cutAt = Date.now();
    proxy.cut();
    // Past the expiry the user's logins are refused: the test waited until the lease truly ended.
    expect(await eventually(() => failedAfter(run.queries.seen, run.expiresAt()), 15_000)).toBe(
      true,
    );
    expect(run.swaps).toEqual([]);
    const backAt = Date.now();
    proxy.restore();
    await expectRecovery(run, backAt);
    expectServedUntilExpiry(run, cutAt);
    // Vault unreachable is `down` (the indicator's contract), from the cut until Vault is back.
    const away = run.health.seen.filter(s => s.at > cutAt && s.doneAt < backAt);
    expect(away.length).toBeGreaterThan(0);
    expect(folded(away)).toEqual(['down']);
    // Back, but the lease expired and is not replaced yet: still down, not degraded.
    const returned = run.health.seen.filter(s => s.at > backAt && s.doneAt < run.swaps[0]);
    expect(returned.filter(s => s.status !== 'down')).toEqual([]);
  }, 90_000);

  it('refusing: degraded (credentials-not-renewed) while the lease is valid, down once it expired; back when allowed', async () => {
    const policy = 'pg-outage-refuse';
    const run = await start(target.url, policy);
    await untilReissueIsNear(run.expiresAt);
    expect(run.swaps).toEqual([]);
    const deniedAt = Date.now();
    // Vault answers but issues nothing. (Its `default` policy still renews: the renewal Vault caps
    // at the max TTL goes through, the re-issue after it is refused.)
    await putPolicy(target, policy, KEEP);
    expect(await eventually(() => failedAfter(run.queries.seen, run.expiresAt()), 15_000)).toBe(
      true,
    );
    expect(await eventually(() => run.health.seen.some(s => s.at > run.expiresAt()), 5_000)).toBe(
      true,
    );
    const allowedAt = Date.now();
    await putPolicy(target, policy, CREDS + RENEW + KEEP);
    await expectRecovery(run, allowedAt);
    expectServedUntilExpiry(run, deniedAt);
    const refused = run.health.seen.filter(s => s.at > deniedAt && s.doneAt < allowedAt);
    const valid = refused.filter(s => s.doneAt < run.expiresAt());
    const expired = refused.filter(s => s.at > run.expiresAt());
    // Up until the re-issue is refused, degraded until the expiry, then down.
    expect(folded(refused).join(' ')).toMatch(/^(up )?degraded down$/);
    expect(valid.filter(s => s.status === 'degraded').map(s => s.reason)).toContain(
      'credentials-not-renewed',
    );
    expect(valid.filter(s => s.status === 'down')).toEqual([]);
    expect(expired.length).toBeGreaterThan(0);
    expect(expired.filter(s => s.status !== 'down')).toEqual([]);
  }, 90_000);
});
