import { createAuthMethod } from '../auth/create-auth-method.js';
import { createVaultClient } from '../client/create-vault-client.js';
import { MissingSecretsError, type InvalidSecret } from '../errors/missing-secrets.error.js';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import type { LoadVaultSecretsContext } from '../interfaces/load-context.interface.js';
import type { LoadMode, LoadSummary } from '../interfaces/load-summary.interface.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import type { ResolvedVaultConfigOptions } from '../options/resolved-vault-config-options.interface.js';
import { validateVaultConfigOptions } from '../options/validate-vault-config-options.js';
import { SecretSnapshot } from '../secrets/secret-snapshot.js';
import { findMissingKeys } from '../validation/find-missing-keys.js';
import { loadSchemaCheck, type SchemaCheck } from '../validation/schema-validator.js';
import { createLimiter } from './concurrency-limiter.js';
import { envNamesFor, resolveEnvValues } from './env-fallback.js';
import { KvSecretReader, type KvReadResult } from './kv-secret-reader.js';
import { mergeByPrecedence, type VaultLayer } from './merge-by-precedence.js';
import { normalizeSecretValue, secretEntries } from './secret-value.js';
import { startupLogLine } from './startup-log-line.js';

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
 */
export async function loadVaultSecrets<T extends Record<string, unknown> = Record<string, unknown>>(
  options: VaultConfigOptions,
  context: LoadVaultSecretsContext = {},
): Promise<SecretSnapshot<T>> {
  const started = performance.now();
  const env = context.env ?? process.env;
  const resolved = validateVaultConfigOptions(options, env);
  const schemaCheck = resolved.schema ? loadSchemaCheck(resolved.schema) : undefined;
  // Keep a rejected schema import from being reported as unhandled while Vault is read.
  schemaCheck?.catch(() => undefined);

  let mode: LoadMode = resolved.enabled ? 'vault' : 'disabled';
  let results: KvReadResult[] = [];
  let unavailable: VaultUnavailableError | undefined;
  if (resolved.enabled) {
    try {
      results = await readSources(resolved, context);
    } catch (error) {
      if (!(error instanceof VaultUnavailableError) || resolved.onUnavailable !== 'fallback') {
        throw error;
      }
      mode = 'fallback';
      unavailable = error;
    }
  }
  const check = await schemaCheck;

  const layers = results.filter(r => r.found).map(toLayer);
  const aliases = resolved.envFallback ? resolved.envFallback.aliases : new Map<string, string[]>();
  const declared = declaredKeys(resolved, check);
  const envValues = resolved.envFallback ? resolveEnvValues(declared, aliases, env) : new Map();
  const defaults = new Map<string, string>();
  for (const [key, value] of resolved.defaults)
    defaults.set(key, normalizeSecretValue(value) ?? '');
  const merged = mergeByPrecedence(layers, envValues, defaults);

  const lookedIn = (key: string) => whereLooked(key, resolved, results, mode, aliases);
  const missing = findMissingKeys(resolved.required, merged, lookedIn);
  const invalid: InvalidSecret[] = [];
  if (check) {
    const plain = Object.create(null) as Record<string, unknown>;
    for (const [key, entry] of merged) plain[key] = entry.value;
    const { values, failures } = await check.validate(plain);
    for (const failure of failures) {
      if (merged.has(failure.key)) invalid.push(failure);
      else if (!missing.some(m => m.key === failure.key)) {
        missing.push({ key: failure.key, lookedIn: lookedIn(failure.key) });
      }
    }
    for (const [key, value] of values) {
      const entry = merged.get(key);
      if (entry) merged.set(key, { ...entry, value });
    }
  }
  if (missing.length || invalid.length) throw new MissingSecretsError(missing, invalid);

  const counts = { fromVault: 0, fromEnv: 0, fromDefaults: 0 };
  for (const entry of merged.values()) {
    if (entry.description.source === 'vault') counts.fromVault++;
    else if (entry.description.source === 'env') counts.fromEnv++;
    else counts.fromDefaults++;
  }
  const durationMs = Math.round((performance.now() - started) * 10) / 10;
  const authMethod = mode === 'vault' ? resolved.authMethod : 'none';
  const base = { keys: merged.size, ...counts, sources: layers.length, durationMs };
  const line = startupLogLine(mode, { ...base, authMethod }, unavailable);
  const summary: LoadSummary = { mode, authMethod, ...base, startupLogLine: line };
  if (mode === 'fallback') context.logger?.warn(line);
  else context.logger?.log(line);
  return new SecretSnapshot<T>(merged, summary);
}

async function readSources(
  resolved: ResolvedVaultConfigOptions,
  context: LoadVaultSecretsContext,
): Promise<KvReadResult[]> {
  const client = await createVaultClient(resolved);
  try {
    await createAuthMethod(resolved.auth, resolved.transport !== undefined).authenticate(client);
    const reader = new KvSecretReader(client, createLimiter(resolved.concurrency));
    const settled = await Promise.allSettled(resolved.sources.map(s => reader.read(s)));
    const failures = settled.flatMap(s => (s.status === 'rejected' ? [s.reason as unknown] : []));
    // A permission/not-found/bad-answer error wins over an outage, so 'fallback' never hides it.
    const decisive = failures.find(f => !(f instanceof VaultUnavailableError)) ?? failures[0];
    if (decisive !== undefined) throw decisive;
    const results = settled.map(s => (s as PromiseFulfilledResult<KvReadResult>).value);
    for (const r of results) {
      if (r.kvVersion) {
        context.logger?.debug?.(
          `Read ${r.source.mount}/${r.source.path} (kv${r.kvVersion}${r.found ? '' : ', not found'})`,
        );
      }
    }
    return results;
  } finally {
    if (!resolved.transport) await client.close();
  }
}

function toLayer(result: KvReadResult): VaultLayer {
  const { source } = result;
  return {
    entries: secretEntries(result.data ?? {}, source.prefix, source.keys),
    describe: key => ({
      key,
      source: 'vault',
      mount: source.mount,
      path: source.path,
      ...(result.kvVersion ? { kvVersion: result.kvVersion } : {}),
      ...(result.version !== undefined ? { version: result.version } : {}),
    }),
  };
}

/** Keys the app declares: required ∪ schema properties ∪ defaults ∪ alias targets ∪ sources' keys. */
function declaredKeys(
  resolved: ResolvedVaultConfigOptions,
  check: SchemaCheck | undefined,
): Set<string> {
  const keys = new Set<string>(resolved.required);
  for (const p of check?.properties ?? []) keys.add(p);
  for (const k of resolved.defaults.keys()) keys.add(k);
  if (resolved.envFallback) for (const k of resolved.envFallback.aliases.keys()) keys.add(k);
  for (const s of resolved.sources) for (const k of s.keys ?? []) keys.add(s.prefix + k);
  return keys;
}

function whereLooked(
  key: string,
  resolved: ResolvedVaultConfigOptions,
  results: KvReadResult[],
  mode: LoadMode,
  aliases: ReadonlyMap<string, string[]>,
): string[] {
  const places: string[] = [];
  if (mode !== 'disabled') {
    resolved.sources.forEach((source, i) => {
      if (!key.startsWith(source.prefix)) return;
      if (source.keys && !source.keys.includes(key.slice(source.prefix.length))) return;
      const result = results[i];
      const state =
        mode === 'fallback'
          ? 'not read: Vault unavailable'
          : result?.found
            ? `kv${result.kvVersion ?? '?'}`
            : 'not found';
      places.push(`${source.mount}/${source.path} (${state})`);
    });
  }
  if (resolved.envFallback) places.push(`env ${envNamesFor(key, aliases).join('|')}`);
  return places;
}
