import type { PoolConfig } from 'pg';

/** What `createVaultPgPool` needs: the keys that hold the credentials, and how to pool. */
export interface VaultPgPoolOptions {
  /** The key that holds the database user name, e.g. `'DB_username'` (a `prefix: 'DB_'` source). */
  user: string;
  /** The key that holds the password, e.g. `'DB_password'`. */
  password: string;
  /** Everything else `pg.Pool` takes (host, port, database, max, ssl…); `user`/`password` ignored. */
  pool?: PoolConfig;
  /**
   * How long a pool on replaced credentials may wait for its checked-out clients before it ends
   * them (default 30 s; for leased credentials never past the old lease's expiry less 1 s). The
   * lease is re-issued at least `drainTimeoutMs` + 2 s before it expires so the drain fits.
   */
  drainTimeoutMs?: number;
}
