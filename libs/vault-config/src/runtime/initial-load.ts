import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import type { LoadVaultSecretsContext } from '../interfaces/load-context.interface.js';
import type { LoadMode } from '../interfaces/load-summary.interface.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import type { ResolvedVaultConfigOptions } from '../options/resolved-vault-config-options.interface.js';
import { validateVaultConfigOptions } from '../options/validate-vault-config-options.js';
import { loadSchemaCheck, type SchemaCheck } from '../validation/schema-validator.js';
import { assembleSnapshot, type AssembledSecrets } from '../snapshot/assemble-snapshot.js';
import type { SourceReadResult } from '../loading/source-read-result.interface.js';
import { openVaultConnection, type VaultConnection } from '../loading/vault-connection.js';

const TLS_UNVERIFIED_WARNING =
  'TLS certificate verification is off (VAULT_SKIP_VERIFY or tls.rejectUnauthorized: false): ' +
  'anyone between the app and Vault can read the token and the secrets. Set VAULT_CACERT instead.';

/** The first load, and (for the module) the connection kept open to refresh and renew. */
export interface InitialLoad<T extends object> extends AssembledSecrets<T> {
  resolved: ResolvedVaultConfigOptions;
  results: SourceReadResult[];
  check: SchemaCheck | undefined;
  env: NodeJS.ProcessEnv;
  /** Open only when asked to keep it and Vault was read. */
  connection?: VaultConnection;
}

/** The load behind `loadVaultSecrets` and `VaultConfigModule`. */
export async function performInitialLoad<T extends object>(
  options: VaultConfigOptions,
  context: LoadVaultSecretsContext,
  keepConnection: boolean,
): Promise<InitialLoad<T>> {
  const startedAt = performance.now();
  const env = context.env ?? process.env;
  const resolved = validateVaultConfigOptions(options, env);
  const schemaCheck = resolved.schema ? loadSchemaCheck(resolved.schema) : undefined;
  // Keep a rejected schema import from being reported as unhandled while Vault is read.
  schemaCheck?.catch(() => undefined);
  let mode: LoadMode = resolved.enabled ? 'vault' : 'disabled';
  let results: SourceReadResult[] = [];
  let unavailable: VaultUnavailableError | undefined;
  let connection: VaultConnection | undefined;
  try {
    if (resolved.enabled) {
      const https = (resolved.addresses ?? []).some(a => a.startsWith('https:'));
      if (https && !resolved.tls.rejectUnauthorized) {
        context.logger?.warn(TLS_UNVERIFIED_WARNING);
      }
      try {
        connection = await openVaultConnection(resolved);
        results = await connection.reader.readAll(resolved.sources, context.logger);
      } catch (error) {
        await connection?.close();
        connection = undefined;
        if (!(error instanceof VaultUnavailableError) || resolved.onUnavailable !== 'fallback') {
          throw error;
        }
        mode = 'fallback';
        unavailable = error;
      }
    }
    const check = await schemaCheck;
    const assembled = await assembleSnapshot<T>({
      resolved,
      results,
      mode,
      env,
      check,
      startedAt,
      ...(unavailable ? { unavailable } : {}),
    });
    const line = assembled.snapshot.summary.startupLogLine;
    if (mode === 'fallback') context.logger?.warn(line);
    else context.logger?.log(line);
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
