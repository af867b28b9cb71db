/**
 * The soak through TypeORM: `TypeOrmModule.forRootAsync` with `driver: vaultPgDriver(secrets, …)`,
 * one DataSource on a dynamic role (short TTLs: ≥ 5 re-issues) and one on a static role (rotated
 * every 5 s: ≥ 3 rotations), under a steady load of queries and transactions against a real
 * PostgreSQL behind OpenBao: 0 failed queries, replaced users dropped after their drain, none left
 * after app.close() (TypeORM ends its pools; revokeOnShutdown revokes the last lease).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { SecretsService, VaultConfigModule, type SecretsChangedEvent } from 'nestjs-vault-config';
import { vaultPgDriver } from 'nestjs-vault-config/pg';
import type { DataSource } from 'typeorm';
import { expectNoCanary } from '../support/canary.js';
import { configureDatabaseEngine, configureStaticRole } from '../support/database-engine.js';
import { eventually, tokenWithPolicy } from '../support/lifecycle-support.js';
import { CapturingLogger } from '../support/module-support.js';
import {
  createSoakTable,
  goneAt,
  startLoad,
  watchRoles,
  type LoadResult,
  type Queryable,
} from '../support/pg-soak-support.js';
import {
  describeDatabaseTargets,
  startPostgres,
  type PostgresServer,
} from '../support/postgres.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

const DRAIN_MS = 2_000;
const GONE_SLACK_MS = 1_000;

const typeormQueryable = (ds: DataSource): Queryable => ({
  query: (text, values) => ds.query(text, values),
  transaction: work =>
    ds.transaction(manager => work((text, values) => manager.query(text, values))),
});

describeDatabaseTargets('TypeORM on vaultPgDriver under rotation (%s)', kind => {
  if (kind === 'memory') {
    it.skip('the in-memory server creates no database users: the soak runs on OpenBao', () => {});
    return;
  }
  let target: VaultTarget;
  let pg: PostgresServer;
  let token: string;
  const logger = new CapturingLogger();
  const seen: string[] = [];

  beforeAll(async () => {
    target = await startTarget(kind);
    pg = await startPostgres();
    await createSoakTable(pg);
    await configureDatabaseEngine(target, pg, { role: 'orm', defaultTtl: 8, maxTtl: 8 });
    await configureStaticRole(target, pg, {
      role: 'ormstatic',
      username: 'orm_static',
      rotationPeriod: '5s',
    });
    token = await tokenWithPolicy(
      target,
      'pg-orm',
      'path "database/creds/orm" { capabilities = ["read"] }\n' +
        'path "database/static-creds/ormstatic" { capabilities = ["read"] }\n' +
        'path "sys/leases/renew" { capabilities = ["update"] }\n' +
        'path "sys/leases/revoke" { capabilities = ["update"] }\n',
    );
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled([pg?.stop(), target?.stop()]);
    expectNoCanary(logger.lines, seen);
  });

  it('0 failed queries through ≥ 5 re-issues and ≥ 3 rotations; no user left after close', async () => {
    const database = (user: string, password: string, name?: string) =>
      TypeOrmModule.forRootAsync({
        ...(name ? { name } : {}),
        inject: [SecretsService],
        useFactory: (secrets: SecretsService) => ({
          type: 'postgres' as const,
          driver: vaultPgDriver(secrets, { user, password, drainTimeoutMs: DRAIN_MS }),
          host: pg.host,
          port: pg.port,
          database: 'postgres',
          poolSize: 4,
          ...(name ? { extra: { maxUses: 15 } } : {}),
        }),
      });
    const moduleRef = await Test.createTestingModule({
      imports: [
        VaultConfigModule.forRoot({
          isGlobal: true,
          address: target.url,
          auth: { method: 'token', token },
          sources: [
            { type: 'dynamic', mount: 'database', path: 'creds/orm', prefix: 'DYN_' },
            { type: 'static', mount: 'database', role: 'ormstatic', prefix: 'ST_' },
          ],
          envFallback: false,
          revokeOnShutdown: true,
        }),
        database('DYN_username', 'DYN_password'),
        database('ST_username', 'ST_password', 'static'),
      ],
    })
      .setLogger(logger)
      .compile();
    const app = moduleRef.createNestApplication({ logger });
    await app.init();
    const secrets = app.get(SecretsService);
    const dynamic = app.get<DataSource>(getDataSourceToken());
    const fixed = app.get<DataSource>(getDataSourceToken('static'));
    const roles = await watchRoles(pg, 'v-token-orm-%');
    const swaps: Array<{ old: string; at: number }> = [];
    let user = secrets.getOrThrow('DYN_username');
    let rotations = 0;
    seen.push(secrets.getOrThrow('DYN_password'), secrets.getOrThrow('ST_password'));
    secrets.onSecretsChanged((event: SecretsChangedEvent) => {
      seen.push(secrets.getOrThrow('DYN_password'), secrets.getOrThrow('ST_password'));
      const keys = event.changes.map(c => c.key);
      if (keys.includes('DYN_username')) {
        swaps.push({ old: user, at: Date.now() });
        user = secrets.getOrThrow('DYN_username');
      }
      if (keys.includes('ST_password')) rotations++;
    });
    const loads = [
      startLoad(typeormQueryable(dynamic), 3, 'orm-dyn'),
      startLoad(typeormQueryable(fixed), 3, 'orm-st'),
    ];
    let results: LoadResult[];
    let left: string[];
    let reached: boolean;
    try {
      reached = await eventually(() => swaps.length >= 5 && rotations >= 3, 55_000);
    } finally {
      results = await Promise.all(loads.map(l => l.stop()));
      await app.close();
      await new Promise(r => setTimeout(r, 300));
      left = await roles.now();
      await roles.stop();
    }
    expect(reached).toBe(true);
    const [dyn, st] = results;
    expect({ dynamic: dyn.failures, static: st.failures }).toEqual({ dynamic: [], static: [] });
    expect(dyn.ok).toBeGreaterThan(100);
    expect(st.ok).toBeGreaterThan(100);
    expect(Math.max(...roles.samples.map(s => s.roles.length))).toBeLessThanOrEqual(2);
    const late = swaps
      .slice(0, -1)
      .filter(
        s => (goneAt(roles.samples, s.old, s.at) ?? Infinity) - s.at > DRAIN_MS + GONE_SLACK_MS,
      );
    expect(late.length).toBe(0);
    expect(left).toEqual([]);
    process.stdout.write(
      `pg typeorm soak (${kind}): ${JSON.stringify({ reissues: swaps.length, rotations, queries: dyn.ok + st.ok })}\n`,
    );
  }, 90_000);
});
