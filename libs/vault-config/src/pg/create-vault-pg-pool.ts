import type pg from 'pg';
import type { AnySecretsService } from './credential-source.js';
import { VaultPgPool } from './vault-pg-pool.js';
import type { VaultPgPoolOptions } from './vault-pg-pool-options.interface.js';

/**
 * A `pg.Pool` that logs in with the credentials under `options.user` / `options.password` and
 * follows them: new checkouts use the newest credentials from the moment their change event fires;
 * clients checked out before keep working until released; a replaced pool ends once its last client
 * is back (or after `drainTimeoutMs`), and then its lease, if any, is revoked. A login refused for
 * its password (28P01: a static role Vault rotated a moment ago) reads the secrets again and retries
 * once. `end()` ends every pool. Throws `VaultPgPoolError` (naming the option and key, never a
 * value) when a key is not given or has no value.
 * @publicApi
 */
export function createVaultPgPool(
  secrets: AnySecretsService,
  options: VaultPgPoolOptions,
): pg.Pool {
  return new VaultPgPool(secrets, options);
}
