import pg from 'pg';
import type { LeaseHold } from '../runtime/lease-holds.js';
import type { PgCredentials } from './credential-source.js';

/** The turn after this one: the runtime keeps a re-issued lease right after the change event. */
const nextTurn = () => new Promise<void>(resolve => setImmediate(resolve));

/**
 * One set of credentials and the `pg.Pool` that logs in with them. New checkouts come from the
 * newest generation only; a replaced one drains: it ends when its last client is released (or at
 * its deadline, ending the clients still out), then releases its lease, which the runtime revokes.
 */
export class CredentialGeneration {
  readonly pool: pg.Pool;
  readonly credentials: PgCredentials;
  readonly createdAt = Date.now();
  readonly #out = new Set<pg.PoolClient>();
  readonly #held: Promise<void>;
  #connecting = 0;
  #hold: LeaseHold | undefined;
  #idle: (() => void) | undefined;
  #retired: Promise<boolean> | undefined;

  constructor(
    config: pg.PoolConfig,
    credentials: PgCredentials,
    takeHold: (() => LeaseHold | undefined) | undefined,
  ) {
    this.credentials = credentials;
    this.pool = new pg.Pool({ ...config, user: credentials.user, password: credentials.password });
    this.#held = takeHold
      ? nextTurn().then(() => {
          this.#hold = takeHold();
        })
      : Promise.resolve();
  }

  /** When the lease of these credentials runs out; undefined: no lease (or not held yet). */
  get expiresAt(): number | undefined {
    return this.#hold?.expiresAt;
  }

  /** Clients checked out or being connected. */
  get busy(): number {
    return this.#out.size + this.#connecting;
  }

  async checkout(): Promise<pg.PoolClient> {
    this.#connecting++;
    try {
      const client = await this.pool.connect();
      this.#track(client);
      return client;
    } finally {
      this.#connecting--;
      if (this.busy === 0) this.#idle?.();
    }
  }

  /** Counts the client out until released (once, however often the app calls release). */
  #track(client: pg.PoolClient): void {
    this.#out.add(client);
    const release = client.release.bind(client);
    let released = false;
    client.release = (err?: Error | boolean) => {
      if (released) return;
      released = true;
      this.#out.delete(client);
      release(err);
      if (this.busy === 0) this.#idle?.();
    };
  }

  /**
   * Drains within `drainMs`, ends the pool, releases the lease. Resolves to false when the lease
   * could not be revoked (it expires with its TTL).
   */
  retire(drainMs: number): Promise<boolean> {
    this.#retired ??= this.#drain(drainMs);
    return this.#retired;
  }

  async #drain(drainMs: number): Promise<boolean> {
    await this.#held;
    await nextTurn();
    if (this.busy > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>(resolve => {
        this.#idle = resolve;
        timer = setTimeout(resolve, drainMs);
      });
      clearTimeout(timer);
    }
    // Past the deadline: a client still out would fail once the lease is revoked anyway.
    for (const client of [...this.#out]) client.release(true);
    await this.pool.end();
    try {
      await this.#hold?.release();
      return true;
    } catch {
      return false;
    }
  }
}
