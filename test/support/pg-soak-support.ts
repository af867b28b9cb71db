/**
 * What the pg soak suites share: a table every database user may read and write, a steady query
 * load on a pool (plain queries and transactions that keep a client out across a swap), and a
 * monitor of the dynamic users PostgreSQL has (`pg_roles`), sampled on a superuser connection.
 */
import pg from 'pg';
import type { PostgresServer } from './postgres.js';
import { sleep } from './lifecycle-support.js';

export const SOAK_TABLE = 'soak_rows';

/** The table, open to every role (dynamic users get only CONNECT from the creation statements). */
export async function createSoakTable(server: PostgresServer): Promise<void> {
  await server.query(
    `CREATE TABLE ${SOAK_TABLE} (id serial PRIMARY KEY, worker text NOT NULL, at timestamptz DEFAULT now());` +
      `GRANT SELECT, INSERT ON ${SOAK_TABLE} TO PUBLIC; GRANT USAGE ON SEQUENCE ${SOAK_TABLE}_id_seq TO PUBLIC;`,
  );
}

export interface LoadResult {
  ok: number;
  failed: number;
  /** The first few failures: SQLSTATE and message (a message never holds a password). */
  failures: string[];
  latenciesMs: number[];
}

/** The part of a pool (or a TypeORM DataSource) the load uses. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<unknown>;
  /** A transaction on one connection, kept `holdMs`; absent: queries only. */
  transaction?(
    work: (q: (text: string, values?: unknown[]) => Promise<unknown>) => Promise<void>,
  ): Promise<void>;
}

/** `workers` loops of insert / select / (every 4th) a transaction holding its client ~60 ms. */
export function startLoad(
  target: Queryable,
  workers: number,
  label: string,
): { stop(): Promise<LoadResult> } {
  const result: LoadResult = { ok: 0, failed: 0, failures: [], latenciesMs: [] };
  let running = true;
  const one = async (worker: string, step: number) => {
    const started = performance.now();
    try {
      if (step % 4 === 3 && target.transaction) {
        await target.transaction(async q => {
          await q(`INSERT INTO ${SOAK_TABLE} (worker) VALUES ($1)`, [worker]);
          await sleep(60);
          await q(`SELECT count(*) FROM ${SOAK_TABLE} WHERE worker = $1`, [worker]);
        });
      } else if (step % 2 === 0) {
        await target.query(`INSERT INTO ${SOAK_TABLE} (worker) VALUES ($1)`, [worker]);
      } else {
        await target.query(`SELECT count(*) FROM ${SOAK_TABLE}`);
      }
      result.ok++;
      result.latenciesMs.push(performance.now() - started);
    } catch (error) {
      result.failed++;
      const e = error as { code?: string; message?: string };
      if (result.failures.length < 10) result.failures.push(`${e.code ?? '-'} ${e.message ?? ''}`);
    }
  };
  const loops = Array.from({ length: workers }, async (_, i) => {
    for (let step = 0; running; step++) {
      await one(`${label}-${i}`, step);
      await sleep(5);
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return result;
    },
  };
}

/** A pg.Pool as a `Queryable`: transactions on one checked-out client. */
export function poolQueryable(pool: pg.Pool): Queryable {
  return {
    query: (text, values) => pool.query(text, values),
    transaction: async work => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await work((text, values) => client.query(text, values));
        await client.query('COMMIT');
        client.release();
      } catch (error) {
        client.release(error as Error);
        throw error;
      }
    },
  };
}

/** Samples the roles named like `pattern` (LIKE) every `everyMs` on a superuser connection. */
export async function watchRoles(
  server: PostgresServer,
  pattern: string,
  everyMs = 150,
): Promise<{
  samples: Array<{ at: number; roles: string[] }>;
  now(): Promise<string[]>;
  stop(): Promise<void>;
}> {
  const client = new pg.Client({
    host: server.host,
    port: server.port,
    user: server.superuser,
    password: server.password,
    database: 'postgres',
  });
  await client.connect();
  const samples: Array<{ at: number; roles: string[] }> = [];
  const now = async () =>
    (
      await client.query<{ rolname: string }>(
        'SELECT rolname FROM pg_roles WHERE rolname LIKE $1',
        [pattern],
      )
    ).rows.map(r => r.rolname);
  let running = true;
  const loop = (async () => {
    while (running) {
      samples.push({ at: Date.now(), roles: await now() });
      await sleep(everyMs);
    }
  })();
  return {
    samples,
    now,
    stop: async () => {
      running = false;
      await loop;
      await client.end();
    },
  };
}

/** The first time (ms since the epoch) after `since` that no sample holds `role`. */
export function goneAt(
  samples: ReadonlyArray<{ at: number; roles: string[] }>,
  role: string,
  since: number,
): number | undefined {
  return samples.find(s => s.at >= since && !s.roles.includes(role))?.at;
}

export function p99(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
}
