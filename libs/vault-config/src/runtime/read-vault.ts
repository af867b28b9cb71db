import type { EventLoopHold } from '../client/event-loop-hold.js';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import type { LoadMode } from '../interfaces/load-summary.interface.js';
import type { LoggerLike } from '../interfaces/logger-like.interface.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import type { SourceReadResult } from '../loading/source-read-result.interface.js';
import { describeTokenSource, explainDenial } from '../loading/explain-denial.js';
import { openVaultConnection, type VaultConnection } from '../loading/vault-connection.js';
import type { ResolvedVaultConfigOptions } from '../options/resolved-vault-config-options.interface.js';
import {
  hasPlaintextRemoteAddress,
  PLAINTEXT_ADDRESS_WARNING,
} from '../options/validate-address-options.js';
import { validateVaultConfigOptions } from '../options/validate-vault-config-options.js';
import { loadSchemaCheck, type SchemaCheck } from '../validation/schema-validator.js';

const TLS_UNVERIFIED_WARNING =
  'TLS certificate verification is off (VAULT_SKIP_VERIFY or tls.rejectUnauthorized: false): ' +
  'anyone between the app and Vault can read the token and the secrets. Set VAULT_CACERT instead.';

/** What Vault answered: the first half of a load, before the environment and defaults are merged. */
export interface VaultRead {
  readonly resolved: ResolvedVaultConfigOptions;
  readonly results: SourceReadResult[];
  readonly mode: LoadMode;
  readonly unavailable?: VaultUnavailableError;
  /** Open until `completeLoad` closes it or hands it to the runtime. */
  readonly connection?: VaultConnection;
  readonly schemaCheck: Promise<SchemaCheck> | undefined;
  /** `performance.now()` when the read started (the startup line reports the whole load). */
  readonly startedAt: number;
  /**
   * Sources not read yet (indexes): what would issue something to revoke (dynamic credentials, a
   * certificate) waits for the claim of a prefetch. `readDeferred` reads them.
   */
  readonly deferred?: readonly number[];
}

/** Source types whose read issues something that must be revoked (or expire) if nobody uses it. */
const ISSUING = new Set(['dynamic', 'pki']);

/**
 * Validates the options (VAULT_* variables read from `env` now), logs in and reads every source
 * (with `deferIssuing`, every source but the dynamic and PKI ones: see `VaultRead.deferred`).
 * With `onUnavailable: 'fallback'`, a VaultUnavailableError (and only that) ends the read in
 * 'fallback' mode with no results. Rejects with the typed errors of `loadVaultSecrets`; on failure
 * nothing stays open.
 */
export async function readVault(
  options: VaultConfigOptions,
  env: NodeJS.ProcessEnv,
  logger?: LoggerLike,
  hold?: EventLoopHold,
  deferIssuing = false,
): Promise<VaultRead> {
  const startedAt = performance.now();
  const resolved = validateVaultConfigOptions(options, env);
  const schemaCheck = resolved.schema ? loadSchemaCheck(resolved.schema) : undefined;
  // Awaited by completeLoad; a rejection must not count as unhandled meanwhile.
  schemaCheck?.catch(() => undefined);
  const base = { resolved, schemaCheck, startedAt };
  if (!resolved.enabled) return { ...base, results: [], mode: 'disabled' };
  const addresses = resolved.addresses ?? (resolved.address ? [resolved.address] : []);
  if (addresses.some(a => a.startsWith('https:')) && !resolved.tls.rejectUnauthorized) {
    logger?.warn(TLS_UNVERIFIED_WARNING);
  }
  if (hasPlaintextRemoteAddress(addresses)) logger?.warn(PLAINTEXT_ADDRESS_WARNING);
  let connection: VaultConnection | undefined;
  try {
    connection = await openVaultConnection(resolved, hold);
    const reader = connection.reader;
    const deferred = deferIssuing
      ? resolved.sources.flatMap((s, i) => (ISSUING.has(s.type) ? [i] : []))
      : [];
    const results = await readSources(connection, resolved, logger, (source, index) =>
      deferred.includes(index) ? Promise.resolve({ source, found: false }) : reader.read(source),
    );
    return {
      ...base,
      results,
      mode: 'vault',
      connection,
      ...(deferred.length ? { deferred } : {}),
    };
  } catch (error) {
    await connection?.close();
    return fallbackOrThrow(error, base);
  }
}

/** Reads the sources a prefetch deferred into `read`; on failure, as `readVault` fails. */
export async function readDeferred(read: VaultRead, logger?: LoggerLike): Promise<VaultRead> {
  const { connection, deferred, resolved } = read;
  if (!connection || !deferred?.length) return read;
  try {
    const results = [...read.results];
    const late = await readSources(connection, resolved, logger, (source, index) =>
      deferred.includes(index) ? connection.reader.read(source) : Promise.resolve(results[index]),
    );
    return { ...read, results: late, deferred: [] };
  } catch (error) {
    await connection.close();
    const { schemaCheck, startedAt } = read;
    return fallbackOrThrow(error, { resolved, schemaCheck, startedAt });
  }
}

async function readSources(
  connection: VaultConnection,
  resolved: ResolvedVaultConfigOptions,
  logger: LoggerLike | undefined,
  readOne: (
    source: ResolvedVaultConfigOptions['sources'][number],
    index: number,
  ) => Promise<SourceReadResult>,
): Promise<SourceReadResult[]> {
  try {
    return await connection.reader.readAll(resolved.sources, logger, readOne);
  } catch (error) {
    throw await explainDenial(connection.client, error, tokenSourceOf(resolved));
  }
}

/** With `onUnavailable: 'fallback'`, an outage (and only that) ends the read in 'fallback' mode. */
function fallbackOrThrow(
  error: unknown,
  base: Pick<VaultRead, 'resolved' | 'schemaCheck' | 'startedAt'>,
): VaultRead {
  if (!(error instanceof VaultUnavailableError) || base.resolved.onUnavailable !== 'fallback') {
    throw error;
  }
  return { ...base, results: [], mode: 'fallback', unavailable: error };
}

const tokenSourceOf = (resolved: ResolvedVaultConfigOptions): string =>
  describeTokenSource(resolved.auth, resolved.transport !== undefined);
