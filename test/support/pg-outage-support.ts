/**
 * What the Vault-outage suite for `createVaultPgPool` records: every query's outcome and every
 * login in order (with the time it was seen, to place them before or after the lease's expiry),
 * and `/health` sampled in a loop. Order and counts are asserted, not the length of any window.
 */
import type { INestApplication } from '@nestjs/common';
import type pg from 'pg';
import { getHealth } from './health-app.js';
import { sleep } from './lifecycle-support.js';
import { SOAK_TABLE } from './pg-soak-support.js';

export interface Outcome {
  at: number;
  ok: boolean;
  /** SQLSTATE (or `-`) and message of a failure; a message never holds a password. */
  error?: string;
}

export interface Recorder<T> {
  readonly seen: T[];
  stop(): Promise<void>;
}

/**
 * `workers` loops of an insert then a count on `SOAK_TABLE` (privileges a revoked user loses),
 * `pauseMs` apart. With a small `maxUses` on the pool, clients log in again all the time.
 */
export function recordQueries(pool: pg.Pool, workers = 2, pauseMs = 25): Recorder<Outcome> {
  const seen: Outcome[] = [];
  let running = true;
  const loops = Array.from({ length: workers }, async (_, i) => {
    for (let step = 0; running; step++) {
      try {
        if (step % 2 === 0) {
          await pool.query(`INSERT INTO ${SOAK_TABLE} (worker) VALUES ($1)`, [`outage-${i}`]);
        } else {
          await pool.query(`SELECT count(*) FROM ${SOAK_TABLE}`);
        }
        seen.push({ at: Date.now(), ok: true });
      } catch (error) {
        const e = error as { code?: string; message?: string };
        seen.push({ at: Date.now(), ok: false, error: `${e.code ?? '-'} ${e.message ?? ''}` });
      }
      await sleep(pauseMs);
    }
  });
  return {
    seen,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** The time of each new connection the pool opened (a login with the credentials in use). */
export function recordLogins(pool: pg.Pool): number[] {
  const logins: number[] = [];
  pool.on('connect', () => logins.push(Date.now()));
  return logins;
}

export interface HealthSample {
  /** Taken before the request: the answer was computed at or after it. */
  at: number;
  /** Taken after the answer: it was computed at or before it. */
  doneAt: number;
  /** The indicator's status: `up`, `degraded` or `down`. */
  status: string;
  reason?: string;
}

/** GET /health every `everyMs`; bodies kept in `bodies` for the canary scan. */
export function recordHealth(
  app: INestApplication,
  bodies: string[],
  everyMs = 150,
): Recorder<HealthSample> {
  const seen: HealthSample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = Date.now();
      const { body } = await getHealth(app, bodies);
      const vault = body.details.vault;
      const reason = typeof vault.reason === 'string' ? vault.reason : undefined;
      const doneAt = Date.now();
      seen.push({ at, doneAt, status: String(vault.status), ...(reason ? { reason } : {}) });
      await sleep(everyMs);
    }
  })();
  return {
    seen,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** The statuses in order with repeats folded: `['up', 'degraded', 'down']`. */
export function folded(samples: readonly HealthSample[]): string[] {
  return samples.map(s => s.status).filter((s, i, all) => i === 0 || all[i - 1] !== s);
}
