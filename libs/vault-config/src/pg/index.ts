// The `nestjs-vault-config/pg` subpath: pg pools whose credentials follow Vault. Loads `pg` (an
// optional peer dependency); the main entry never does.
export { createVaultPgPool } from './create-vault-pg-pool.js';
export { vaultPgDriver, type VaultPgDriver } from './vault-pg-driver.js';
export type { VaultPgPoolOptions } from './vault-pg-pool-options.interface.js';
export { VaultPgPoolError } from '../errors/vault-pg-pool.error.js';
