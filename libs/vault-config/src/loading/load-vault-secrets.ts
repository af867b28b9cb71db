import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import type { LoadVaultSecretsContext } from '../interfaces/load-context.interface.js';
import type { LoadMode } from '../interfaces/load-summary.interface.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import type { ResolvedVaultConfigOptions } from '../options/resolved-vault-config-options.interface.js';
import { validateVaultConfigOptions } from '../options/validate-vault-config-options.js';
import type { SecretSnapshot } from '../secrets/secret-snapshot.js';
import { loadSchemaCheck, type SchemaCheck } from '../validation/schema-validator.js';
import { assembleSnapshot, type AssembledSecrets } from './assemble-snapshot.js';
import type { SourceReadResult } from './source-read-result.interface.js';
import { openVaultConnection, type VaultConnection } from './vault-connection.js';

const TLS_UNVERIFIED_WARNING =
  'TLS certificate verification is off (VAULT_SKIP_VERIFY or tls.rejectUnauthorized: false): ' +
  'anyone between the app and Vault can read the token and the secrets. Set VAULT_CACERT instead.';

/** The first load, and (for the module) the connection kept open to refresh and renew. */
export interface InitialLoad<T extends Record<string, unknown>> extends AssembledSecrets<T> {
  resolved: ResolvedVaultConfigOptions;
  results: SourceReadResult[];
  check: SchemaCheck | undefined;
  mode: LoadMode;
  env: NodeJS.ProcessEnv;
  /** Open only when asked to keep it and Vault was read. */
  connection?: VaultConnection;
}

/**
 * Reads every source from Vault and returns one immutable, redacting snapshot.
 *
 * Steps: validate options (env vars read now) → authenticate → read all sources in parallel (at most
 * `concurrency` requests at once, KV version detected once per mount) → merge by precedence (later
 * source > earlier source > environment > defaults) → required keys and schema → snapshot. Logs one
 * startup line via `context.logger` (no values).
 *
 * Failures reject with typed errors: VaultConfigOptionsError, VaultAuthError, VaultUnavailableError,
 * VaultPermissionError, VaultSecretNotFoundError, VaultResponseError, MissingSecretsError (every
 * missing key and schema failure at once). With `onUnavailable: 'fallback'`, a VaultUnavailableError
 * (and only that) switches to environment + defaults for the whole load — partial Vault results are
 * dropped — and the startup line, logged as a warning, says so. The default transport is closed
 * before returning; a transport passed in options is left open (its owner closes it).
 *
 * This is a one-shot read: `refresh`, token renewal and lease renewal need `VaultConfigModule`.
 */
export async function loadVaultSecrets<T extends Record<string, unknown> = Record<string, unknown>>(
  options: VaultConfigOptions,
  context: LoadVaultSecretsContext = {},
): Promise<SecretSnapshot<T>> {
  const loaded = await performInitialLoad<T>(options, context, false);
  if (loaded.results.some(r => r.lease)) {
    context.logger?.warn(
      'Dynamic sources were read once: their leases are not renewed outside VaultConfigModule',
    );
  }
  return loaded.snapshot;
}

/** @internal The load behind `loadVaultSecrets` and `VaultConfigModule`. */
export async function performInitialLoad<T extends Record<string, unknown>>(
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
      if (resolved.address?.startsWith('https:') && !resolved.tls.rejectUnauthorized) {
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
      mode,
      env,
      ...(keepConnection && connection ? { connection } : {}),
    };
  } catch (error) {
    await connection?.close();
    throw error;
  }
}
