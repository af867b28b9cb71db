import pg from 'pg';
import type { AnySecretsService } from './credential-source.js';
import { VaultPgPool } from './vault-pg-pool.js';
import type { VaultPgPoolOptions } from './vault-pg-pool-options.interface.js';

/** What TypeORM's PostgresDriver takes from its `driver` option: `Pool`, and `defaults` if present. */
export interface VaultPgDriver {
  readonly Pool: new (config?: pg.PoolConfig) => pg.Pool;
  readonly Client: typeof pg.Client;
  readonly defaults: typeof pg.defaults;
  readonly types: typeof pg.types;
}

/**
 * A value for TypeORM's `driver` option (`type: 'postgres'`): TypeORM builds its pool with
 * `new driver.Pool(connectionOptions)`, which here is a `createVaultPgPool` pool whose credentials
 * follow the keys (`username`/`password` in the TypeORM options are not needed and are ignored).
 * No `native`: TypeORM would otherwise switch to `pg-native`'s own Pool when it is installed.
 * @publicApi
 */
export function vaultPgDriver(
  secrets: AnySecretsService,
  options: Omit<VaultPgPoolOptions, 'pool'>,
): VaultPgDriver {
  class TypeOrmVaultPgPool extends VaultPgPool {
    constructor(config: pg.PoolConfig = {}) {
      super(secrets, { ...options, pool: config });
    }
  }
  return { Pool: TypeOrmVaultPgPool, Client: pg.Client, defaults: pg.defaults, types: pg.types };
}
