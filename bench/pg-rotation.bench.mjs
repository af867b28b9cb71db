// node bench/pg-rotation.bench.mjs (after `npm run build`) — what credential rotation costs a
// `createVaultPgPool` pool under load. Real OpenBao (database engine) + a throw-away PostgreSQL
// (test/support/postgres.ts, bundled with esbuild). The same steady load (WORKERS concurrent loops
// of inserts, selects and short transactions, pool max = WORKERS) runs through a pool on: (a) a
// dynamic role with a 1 h lease (no rotation), (b) a dynamic role with default_ttl = max_ttl = 6 s
// (a re-issue every ~3 s), (c) a static role rotated every 5 s (and by rotate-role twice a segment). The phases alternate in ROUNDS
// segments of SEGMENT_MS (so a busy moment of the machine does not land on one phase only); each
// segment boots its own app and warms its pool first. Measured: p50/p99 latency per operation,
// connections opened per credential change (the pool's 'connect' events), the drain time (change
// event → old pool ended), failed operations, database users left after the app closed. Goals:
// p99 ≤ 1.2 × the no-rotation p99, 0 failed, none left, ≥ 3 re-issues (dynamic), ≥ 1 rotation
// (static: OpenBao's schedule plus two `rotate-role` calls per segment).
// Prints a table, then one JSON line with met / NOT met.
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { SecretsService, VaultConfigModule } from 'nestjs-vault-config';
import { createVaultPgPool } from 'nestjs-vault-config/pg';
import { findBao, printTable, round, startBao, vaultCall, verdict } from './bench-support.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SEGMENT_MS = Number(process.env.SEGMENT_MS ?? 10_000);
const WORKERS = Number(process.env.WORKERS ?? 4);
const DRAIN_MS = 1_000;
const RATIO_GOAL = 1.2;
/** Re-issues the dynamic phase must see; a static role rotates when OpenBao's queue gets to it. */
const MIN_CHANGES = { dynamic: 3, static: 1 };
const TABLE = 'bench_rows';
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** test/support/postgres.ts, bundled for plain node (its `describeDatabaseTargets` needs Jest: stubbed). */
async function loadPostgresSupport() {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'bench-pg-'));
  const outfile = join(dir, 'postgres.mjs');
  const noJest = {
    name: 'no-jest',
    setup(b) {
      b.onResolve({ filter: /^@jest\/globals$/ }, () => ({ path: 'jest', namespace: 'no-jest' }));
      b.onLoad({ filter: /.*/, namespace: 'no-jest' }, () => ({
        contents: 'export const describe = undefined; export const it = undefined;',
      }));
    },
  };
  await build({
    entryPoints: [new URL('../test/support/postgres.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    plugins: [noJest],
    outfile,
    logLevel: 'silent',
  });
  try {
    return await import(outfile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function configureVault(url, server, superuser) {
  const creation = [
    `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`,
  ];
  await vaultCall(url, 'POST', 'sys/mounts/database', { type: 'database' });
  await vaultCall(url, 'POST', 'database/config/bench', {
    plugin_name: 'postgresql-database-plugin',
    connection_url: server.connectionUrl,
    username: server.superuser,
    password: server.password,
    allowed_roles: '*',
  });
  for (const [role, ttl] of [
    ['steady', '1h'],
    ['rotating', '6s'],
  ]) {
    await vaultCall(url, 'POST', `database/roles/${role}`, {
      db_name: 'bench',
      creation_statements: creation,
      default_ttl: ttl,
      max_ttl: ttl,
    });
  }
  await superuser.query(`CREATE ROLE bench_static WITH LOGIN PASSWORD 'replaced-by-vault'`);
  await vaultCall(url, 'POST', 'database/static-roles/benchstatic', {
    db_name: 'bench',
    username: 'bench_static',
    rotation_period: '5s',
  });
}

/** WORKERS loops: insert, select, transaction (BEGIN, INSERT, SELECT, COMMIT), 2 ms apart. */
function startLoad(pool, label) {
  const latencies = [];
  const starts = [];
  const failures = [];
  let running = true;
  const transaction = async worker => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`INSERT INTO ${TABLE} (worker) VALUES ($1)`, [worker]);
      // By primary key: the table grows all run long, a scan would slow the later segments.
      await client.query(`SELECT worker FROM ${TABLE} WHERE id = lastval()`);
      await client.query('COMMIT');
      client.release();
    } catch (error) {
      client.release(error);
      throw error;
    }
  };
  const steps = [
    worker => pool.query(`INSERT INTO ${TABLE} (worker) VALUES ($1)`, [worker]),
    () => pool.query(`SELECT max(id) FROM ${TABLE}`),
    transaction,
  ];
  const loops = Array.from({ length: WORKERS }, async (_, i) => {
    for (let step = i; running; step++) {
      const started = performance.now();
      try {
        await steps[step % steps.length](`${label}-${i}`);
        latencies.push(performance.now() - started);
        starts.push(started);
      } catch (error) {
        if (failures.length < 5) failures.push(`${error.code ?? '-'} ${error.message}`);
        else failures.push('');
      }
      await sleep(2);
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return { latencies, starts, failures };
    },
  };
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
};

async function segment(name, vault, server, superuser, source) {
  class AppModule {}
  Module({
    imports: [
      VaultConfigModule.forRoot({
        address: vault.url,
        auth: { method: 'token', token: 'root' },
        sources: [{ ...source, prefix: 'DB_' }],
        envFallback: false,
        revokeOnShutdown: true,
      }),
    ],
  })(AppModule);
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const secrets = app.get(SecretsService);
  const pool = createVaultPgPool(secrets, {
    user: 'DB_username',
    password: 'DB_password',
    pool: { host: server.host, port: server.port, database: 'postgres', max: WORKERS },
    drainTimeoutMs: DRAIN_MS,
  });
  pool.on('error', () => undefined); // an idle client's error: counted by the load if it matters
  // Warm-up: every worker's connection open before measuring.
  await Promise.all(Array.from({ length: WORKERS }, () => pool.query('SELECT 1')));
  let connects = 0;
  pool.on('connect', () => connects++);
  const changes = [];
  const drains = [];
  let measuring = true;
  secrets.onSecretsChanged(event => {
    if (!measuring || !event.changes.some(c => c.key === 'DB_password')) return;
    const at = performance.now();
    changes.push(at);
    // The pool swapped before this listener (registered later) ran: [current, …draining].
    const old = pool.generations.at(-1);
    void (async () => {
      while (!old.pool.ended) await sleep(2);
      drains.push(performance.now() - at);
    })();
  });
  const load = startLoad(pool, name);
  // A static role: besides OpenBao's own schedule (its rotation queue decides when), rotate it at a
  // third and two thirds of the segment, as an operator's `rotate-role` would, so that every segment
  // sees rotations: the module learns of them at its next re-read or from a refused login (28P01).
  const rotations =
    source.type === 'static'
      ? [1, 2].map(async third => {
          await sleep((SEGMENT_MS * third) / 3);
          if (measuring)
            await vaultCall(vault.url, 'POST', `database/rotate-role/${source.role}`, {}, 'root');
        })
      : [];
  await sleep(SEGMENT_MS);
  measuring = false;
  await Promise.all(rotations);
  const { latencies, starts, failures } = await load.stop();
  // The operations that started within 1 s after a change: where a rotation would show.
  const nearChange = latencies.filter((_, i) =>
    changes.some(at => starts[i] >= at && starts[i] < at + 1_000),
  );
  const connectsDuringLoad = connects;
  await sleep(DRAIN_MS + 200); // the last drain, so it is counted
  await pool.end();
  await app.close();
  await sleep(300);
  const left = await superuser.query(
    `SELECT count(*)::int AS n FROM pg_roles WHERE rolname LIKE 'v-root-%'`,
  );
  return {
    latencies,
    nearChange,
    changes: changes.length,
    connects: connectsDuringLoad,
    drains,
    failures,
    usersLeft: left.rows[0].n,
  };
}

/** One phase's segments as one result. */
function merge(name, segments) {
  const latencies = segments.flatMap(s => s.latencies);
  const nearChange = segments.flatMap(s => s.nearChange);
  const drains = segments.flatMap(s => s.drains);
  const failures = segments.flatMap(s => s.failures);
  return {
    name,
    ops: latencies.length,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    nearChangeOps: nearChange.length,
    nearChangeP99: nearChange.length ? percentile(nearChange, 0.99) : undefined,
    max: Math.max(...latencies),
    changes: segments.reduce((n, s) => n + s.changes, 0),
    connects: segments.reduce((n, s) => n + s.connects, 0),
    drainMaxMs: drains.length ? Math.max(...drains) : undefined,
    drainMedianMs: drains.length ? percentile(drains, 0.5) : undefined,
    failed: failures.length,
    failures: failures.filter(Boolean),
    usersLeft: Math.max(...segments.map(s => s.usersLeft)),
  };
}

const baoBin = await findBao();
if (!baoBin) {
  console.error('pg-rotation bench: OpenBao not found (scripts/install-openbao.sh or BAO_BIN)');
  process.exit(2);
}
const { findPostgres, startPostgres } = await loadPostgresSupport();
if (!findPostgres()) {
  console.error('pg-rotation bench: PostgreSQL not found (scripts/install-postgres.sh)');
  process.exit(2);
}
const bao = await startBao(baoBin);
const server = await startPostgres();
const superuser = new pg.Client({
  host: server.host,
  port: server.port,
  user: server.superuser,
  password: server.password,
  database: 'postgres',
});
let results;
try {
  await superuser.connect();
  await superuser.query(
    `CREATE TABLE ${TABLE} (id serial PRIMARY KEY, worker text NOT NULL);` +
      `GRANT SELECT, INSERT ON ${TABLE} TO PUBLIC; GRANT USAGE ON SEQUENCE ${TABLE}_id_seq TO PUBLIC;`,
  );
  await configureVault(bao.url, server, superuser);
  const phases = [
    ['no rotation', { type: 'dynamic', mount: 'database', path: 'creds/steady' }],
    ['dynamic, 6 s leases', { type: 'dynamic', mount: 'database', path: 'creds/rotating' }],
    ['static, 5 s rotation', { type: 'static', mount: 'database', role: 'benchstatic' }],
  ];
  const segments = phases.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    // Each round starts with another phase, so a drift of the machine favours none.
    for (let k = 0; k < phases.length; k++) {
      const i = (round + k) % phases.length;
      const [name, source] = phases[i];
      segments[i].push(await segment(name, bao, server, superuser, source));
    }
  }
  results = phases.map(([name], i) => merge(name, segments[i]));
} finally {
  await superuser.end().catch(() => undefined);
  await server.stop();
  await bao.stop();
}

const [base] = results;
const rows = results.map(r => {
  const ratio = r.p99 / base.p99;
  r.ratio = round(ratio, 2);
  r.connectsPerChange = r.changes ? round(r.connects / r.changes, 1) : undefined;
  r.met =
    r.failed === 0 &&
    r.usersLeft === 0 &&
    (r === base || (ratio <= RATIO_GOAL && r.changes >= MIN_CHANGES[r.name.split(',')[0]]));
  return {
    phase: r.name,
    ops: r.ops,
    'p50 ms': round(r.p50, 2),
    'p99 ms': round(r.p99, 2),
    'max ms': round(r.max, 1),
    'p99 ratio': r === base ? '1 (base)' : `${r.ratio}×`,
    'p99 ≤ 1 s after a change': r.nearChangeP99 === undefined ? '-' : round(r.nearChangeP99, 2),
    changes: r.changes,
    'connects/change': r.connectsPerChange ?? `${r.connects} (no change)`,
    'drain ms (median, max)':
      r.drainMaxMs === undefined ? '-' : `${round(r.drainMedianMs)}, ${round(r.drainMaxMs)}`,
    failed: r.failed,
    'users left': r.usersLeft,
    goal: verdict(r.met),
  };
});
printTable(rows);
for (const r of results)
  if (r.failures.length) console.error(`${r.name}: ${r.failures.join('; ')}`);
console.log(
  JSON.stringify({
    bench: 'pg-rotation',
    rounds: ROUNDS,
    segmentMs: SEGMENT_MS,
    workers: WORKERS,
    drainTimeoutMs: DRAIN_MS,
    goals: { p99Ratio: RATIO_GOAL, failed: 0, minChanges: MIN_CHANGES },
    results: results.map(({ failures: _f, name, ...r }) => ({
      phase: name,
      ...r,
      p50: round(r.p50, 2),
      p99: round(r.p99, 2),
      max: round(r.max, 1),
      nearChangeP99: r.nearChangeP99 === undefined ? undefined : round(r.nearChangeP99, 2),
      drainMaxMs: r.drainMaxMs === undefined ? undefined : round(r.drainMaxMs),
      drainMedianMs: r.drainMedianMs === undefined ? undefined : round(r.drainMedianMs),
    })),
    met: results.every(r => r.met),
  }),
);
