import type { LoadVaultSecretsContext } from '../interfaces/load-context.interface.js';
import type { LoggerLike } from '../interfaces/logger-like.interface.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import type { SourceReadResult } from '../loading/source-read-result.interface.js';
import type { VaultConnection } from '../loading/vault-connection.js';
import type { ResolvedVaultConfigOptions } from '../options/resolved-vault-config-options.interface.js';
import { assembleSnapshot, type AssembledSecrets } from '../snapshot/assemble-snapshot.js';
import type { SchemaCheck } from '../validation/schema-validator.js';
import { readDeferred, readVault, type VaultRead } from './read-vault.js';

/** The first load, and (for the module) the connection kept open to refresh and renew. */
export interface InitialLoad<T extends object> extends AssembledSecrets<T> {
  resolved: ResolvedVaultConfigOptions;
  results: SourceReadResult[];
  check: SchemaCheck | undefined;
  env: NodeJS.ProcessEnv;
  /** Open only when asked to keep it and Vault was read. */
  connection?: VaultConnection;
}

/**
 * The second half of a load: merges what Vault answered with `env` (read now) and the defaults,
 * checks required keys and the schema, logs the startup line, and closes the connection unless
 * `keepConnection`. On failure nothing stays open.
 */
export async function completeLoad<T extends object>(
  read: VaultRead,
  env: NodeJS.ProcessEnv,
  logger: LoggerLike | undefined,
  keepConnection: boolean,
): Promise<InitialLoad<T>> {
  // A prefetch left its dynamic and PKI sources for the claim: read them now (closes on failure).
  const complete = await readDeferred(read, logger);
  const { resolved, results, mode, unavailable, connection } = complete;
  try {
    const check = await read.schemaCheck;
    const assembled = await assembleSnapshot<T>({
      resolved,
      results,
      mode,
      env,
      check,
      startedAt: read.startedAt,
      ...(unavailable ? { unavailable } : {}),
    });
    const line = assembled.snapshot.summary.startupLogLine;
    if (mode === 'fallback') logger?.warn(line);
    else logger?.log(line);
    if (assembled.placeholderWarning) logger?.warn(assembled.placeholderWarning);
    if (!keepConnection) await connection?.close();
    return {
      ...assembled,
      resolved,
      results,
      check,
      env,
      ...(keepConnection && connection ? { connection } : {}),
    };
  } catch (error) {
    await connection?.close();
    throw error;
  }
}

/** The load behind `loadVaultSecrets` and `VaultConfigModule`, both halves at once. */
export async function performInitialLoad<T extends object>(
  options: VaultConfigOptions,
  context: LoadVaultSecretsContext,
  keepConnection: boolean,
): Promise<InitialLoad<T>> {
  const env = context.env ?? process.env;
  const read = await readVault(options, env, context.logger);
  return completeLoad<T>(read, env, context.logger, keepConnection);
}
