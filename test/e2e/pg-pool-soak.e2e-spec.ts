/**
 * Soak: a steady query load (several workers, reads, writes, transactions that keep a client out)
 * on two `createVaultPgPool` pools while OpenBao re-issues a dynamic role's credentials (short
 * TTLs: ≥ 5 re-issues) and rotates a static role's password (every 5 s: ≥ 3 rotations), against a
 * real PostgreSQL. Proves: 0 failed queries; at most 2 dynamic users alive at once; each replaced
 * user gone from pg_roles within the drain time; none left after end() + app.close()
 * (revokeOnShutdown); health shows each pool's credential state, never a value.
 * The in-memory server creates no database users: there this suite is a named skip.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { SecretsService, type SecretsChangedEvent } from 'nestjs-vault-config';
import { createVaultPgPool } from 'nestjs-vault-config/pg';
import { expectNoCanary } from '../support/canary.js';
import { configureDatabaseEngine, configureStaticRole } from '../support/database-engine.js';
import { bootHealthApp, getHealth } from '../support/health-app.js';
import { eventually, tokenWithPolicy } from '../support/lifecycle-support.js';
import { CapturingLogger } from '../support/module-support.js';
import {
  createSoakTable,
  goneAt,
  poolQueryable,
  type LoadResult,
  startLoad,
  watchRoles,
} from '../support/pg-soak-support.js';
import {
  describeDatabaseTargets,
  startPostgres,
  type PostgresServer,
} from '../support/postgres.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

const DRAIN_MS = 2_000;
/** Sampling (150 ms), the revocation round trip and OpenBao's DROP ROLE. */
const GONE_SLACK_MS = 1_000;

describeDatabaseTargets('pg pools under rotation (%s)', kind => {
  if (kind === 'memory') {
    it.skip('the in-memory server creates no database users: the soak runs on OpenBao', () => {});
    return;
  }
  let target: VaultTarget;
  let pg: PostgresServer;
  let token: string;
  const logger = new CapturingLogger();
  const outputs: string[] = [];
  const secretsSeen: string[] = [];

  beforeAll(async () => {
    target = await startTarget(kind);
    pg = await startPostgres();
    await createSoakTable(pg);
    await configureDatabaseEngine(target, pg, { role: 'soak', defaultTtl: 8, maxTtl: 8 });
    await configureStaticRole(target, pg, {
      role: 'soakstatic',
      username: 'soak_static',
      rotationPeriod: '5s',
    });
    token = await tokenWithPolicy(
      target,
      'pg-soak',
      'path "database/creds/soak" { capabilities = ["read"] }\n' +
        'path "database/static-creds/soakstatic" { capabilities = ["read"] }\n' +
        'path "sys/leases/renew" { capabilities = ["update"] }\n' +
        'path "sys/leases/revoke" { capabilities = ["update"] }\n',
    );
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled([pg?.stop(), target?.stop()]);
    expectNoCanary([...outputs, ...logger.lines], secretsSeen);
  });

  it('0 failed queries through ≥ 5 re-issues and ≥ 3 rotations; old users dropped after their drain', async () => {
    const app: INestApplication = await bootHealthApp(
      {
        address: target.url,
        auth: { method: 'token', token },
        sources: [
          { type: 'dynamic', mount: 'database', path: 'creds/soak', prefix: 'DYN_' },
          { type: 'static', mount: 'database', role: 'soakstatic', prefix: 'ST_' },
        ],
        envFallback: false,
        revokeOnShutdown: true,
      },
      logger,
    );
    const secrets = app.get(SecretsService);
    const connection = { host: pg.host, port: pg.port, database: 'postgres', max: 4 };
    const dynamic = createVaultPgPool(secrets, {
      user: 'DYN_username',
      password: 'DYN_password',
      pool: connection,
      drainTimeoutMs: DRAIN_MS,
    });
    // maxUses: clients are replaced often, so logins keep happening through every rotation.
    const fixed = createVaultPgPool(secrets, {
      user: 'ST_username',
      password: 'ST_password',
      pool: { ...connection, maxUses: 15 },
      drainTimeoutMs: DRAIN_MS,
    });
    const poolErrors: unknown[] = [];
    dynamic.on('error', e => poolErrors.push(e));
    fixed.on('error', e => poolErrors.push(e));
    const roles = await watchRoles(pg, 'v-token-soak-%');
    const swaps: Array<{ old: string; at: number }> = [];
    let user = secrets.getOrThrow('DYN_username');
    let rotations = 0;
    let results: LoadResult[];
    let left: string[];
    const remember = () =>
      secretsSeen.push(secrets.getOrThrow('DYN_password'), secrets.getOrThrow('ST_password'));
    remember();
    secrets.onSecretsChanged((event: SecretsChangedEvent) => {
      remember();
      const keys = event.changes.map(c => c.key);
      if (keys.includes('DYN_username')) {
        swaps.push({ old: user, at: Date.now() });
        user = secrets.getOrThrow('DYN_username');
      }
      if (keys.includes('ST_password')) rotations++;
    });
    const loads = [
      startLoad(poolQueryable(dynamic), 3, 'dyn'),
      startLoad(poolQueryable(fixed), 3, 'st'),
    ];
    try {
      expect(await eventually(() => swaps.length >= 5 && rotations >= 3, 55_000)).toBe(true);
      const health = await getHealth(app, outputs);
      const pools = health.body.details.vault.pools as Record<string, Record<string, unknown>>;
      expect(Object.keys(pools).sort()).toEqual(['DYN_username', 'ST_username']);
      expect(pools.DYN_username).toMatchObject({ kind: 'dynamic', revokeFailures: 0 });
      expect(pools.DYN_username.leaseRemainingS).toEqual(expect.any(Number));
      expect(pools.ST_username).toMatchObject({ kind: 'static' });
    } finally {
      results = await Promise.all(loads.map(l => l.stop()));
      await Promise.all([dynamic.end(), fixed.end()]);
      await app.close();
      await new Promise(r => setTimeout(r, 300));
      left = await roles.now();
      await roles.stop();
    }
    const [dyn, st] = results;
    outputs.push(...dyn.failures, ...st.failures);
    expect({ dynamic: dyn.failures, static: st.failures }).toEqual({ dynamic: [], static: [] });
    const okQueries = dyn.ok + st.ok;
    expect(dyn.ok).toBeGreaterThan(100);
    expect(st.ok).toBeGreaterThan(100);
    expect(poolErrors).toEqual([]);
    // At most two dynamic users at any sample: the current one and the one draining.
    expect(Math.max(...roles.samples.map(s => s.roles.length))).toBeLessThanOrEqual(2);
    // Each replaced user is dropped once its pool drained: within the drain time (plus slack).
    for (const swap of swaps.slice(0, -1)) {
      const gone = goneAt(roles.samples, swap.old, swap.at);
      expect({
        user: swap.old.slice(0, 14),
        late: gone === undefined || gone - swap.at > DRAIN_MS + GONE_SLACK_MS,
      }).toEqual({ user: swap.old.slice(0, 14), late: false });
    }
    // Nothing outlives the app: end() released every lease, revokeOnShutdown revoked the last.
    expect(left).toEqual([]);
    const goneMs = swaps.slice(0, -1).map(s => (goneAt(roles.samples, s.old, s.at) ?? NaN) - s.at);
    process.stdout.write(
      `pg soak (${kind}): ${JSON.stringify({ reissues: swaps.length, rotations, queries: okQueries, maxUsers: Math.max(...roles.samples.map(s => s.roles.length)), maxGoneMs: Math.max(...goneMs) })}\n`,
    );
  }, 90_000);
});
