import { InvalidSecretsError, type InvalidSecret } from '../errors/invalid-secrets.error.js';
import { MissingSecretsError, type MissingSecret } from '../errors/missing-secrets.error.js';
import type { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import type { SecretDescription } from '../interfaces/secret-description.interface.js';
import type { LoadMode, LoadSummary } from '../interfaces/load-summary.interface.js';
import type { ResolvedVaultConfigOptions } from '../options/resolved-vault-config-options.interface.js';
import { SecretSnapshot, type SnapshotEntry } from './secret-snapshot.js';
import { findMissingKeys } from '../validation/find-missing-keys.js';
import type { SchemaCheck } from '../validation/schema-validator.js';
import {
  envNamesFor,
  findPlaceholders,
  placeholderWarning,
  resolveEnvValues,
} from './env-fallback.js';
import { mergeByPrecedence, type VaultLayer } from './merge-by-precedence.js';
import { normalizeSecretValue, secretEntries } from './secret-value.js';
import type { SourceReadResult } from '../loading/source-read-result.interface.js';
import { startupLogLine } from './startup-log-line.js';

export interface AssembleInput {
  resolved: ResolvedVaultConfigOptions;
  results: readonly SourceReadResult[];
  mode: LoadMode;
  env: NodeJS.ProcessEnv;
  check: SchemaCheck | undefined;
  startedAt: number;
  unavailable?: VaultUnavailableError;
}

export interface AssembledSecrets<T extends object> {
  snapshot: SecretSnapshot<T>;
  /** The merged values before schema conversion: what a refresh compares. */
  merged: ReadonlyMap<string, SnapshotEntry>;
  /** Set when `[VAULT]` placeholders in the environment were left unfilled by Vault: log it. */
  placeholderWarning?: string;
}

/**
 * Merges read results with the environment and defaults (later source > earlier source > env >
 * defaults), then checks required keys and the schema. Any required key missing: ONE
 * MissingSecretsError lists every problem (schema failures too); all present but some invalid: ONE
 * InvalidSecretsError, each key with its rules and the source of its value.
 */
export async function assembleSnapshot<T extends object>(
  input: AssembleInput,
): Promise<AssembledSecrets<T>> {
  const { resolved, results, mode, env, check } = input;
  const layers = results.filter(r => r.found).map(toLayer);
  const aliases = resolved.envFallback ? resolved.envFallback.aliases : new Map<string, string[]>();
  const declared = declaredKeys(resolved, check);
  const envValues = resolved.envFallback ? resolveEnvValues(declared, aliases, env) : new Map();
  const defaults = new Map<string, string>();
  for (const [key, value] of resolved.defaults)
    defaults.set(key, normalizeSecretValue(value) ?? '');
  const merged = mergeByPrecedence(layers, envValues, defaults);
  const placeholders = findPlaceholders(declared, aliases, env);
  const describeMissing = (key: string): MissingSecret => {
    const placeholderIn = placeholders.get(key);
    const lookedIn = whereLooked(key, resolved, results, mode, aliases);
    return { key, lookedIn, ...(placeholderIn ? { placeholderIn } : {}) };
  };
  const missing = findMissingKeys(resolved.required, merged, describeMissing);
  const invalid: InvalidSecret[] = [];
  const converted = new Map(merged);
  if (check) {
    const plain = Object.create(null) as Record<string, unknown>;
    for (const [key, entry] of merged) plain[key] = entry.value;
    const { values, failures } = await check.validate(plain);
    for (const failure of failures) {
      const entry = entryFor(merged, failure.key);
      if (entry) invalid.push({ ...failure, source: sourceOf(entry.description) });
      else if (!missing.some(m => m.key === failure.key))
        missing.push(describeMissing(failure.key));
    }
    for (const [key, value] of values) {
      const entry = merged.get(key);
      if (entry) converted.set(key, { ...entry, value });
    }
  }
  if (missing.length) throw new MissingSecretsError(missing, invalid);
  if (invalid.length) throw new InvalidSecretsError(invalid);
  const counts = { fromVault: 0, fromEnv: 0, fromDefaults: 0 };
  for (const entry of merged.values()) {
    if (entry.description.source === 'vault') counts.fromVault++;
    else if (entry.description.source === 'env') counts.fromEnv++;
    else counts.fromDefaults++;
  }
  const durationMs = Math.round((performance.now() - input.startedAt) * 10) / 10;
  const authMethod = mode === 'vault' ? resolved.authMethod : 'none';
  const base = { keys: merged.size, ...counts, sources: layers.length, durationMs };
  const line = startupLogLine(mode, { ...base, authMethod }, input.unavailable);
  const summary: LoadSummary = { mode, authMethod, ...base, startupLogLine: line };
  const sourceNames = mode === 'disabled' ? [] : resolved.sources.map(s => `${s.mount}/${s.path}`);
  const warning = placeholderWarning(placeholders, merged, sourceNames);
  return {
    snapshot: new SecretSnapshot<T>(converted, summary),
    merged,
    ...(warning ? { placeholderWarning: warning } : {}),
  };
}

/** The entry of `key`, or of the top-level key a nested schema failure (`DB.host`) belongs to. */
function entryFor(
  merged: ReadonlyMap<string, SnapshotEntry>,
  key: string,
): SnapshotEntry | undefined {
  for (let end = key.length; end > 0; end = key.lastIndexOf('.', end - 1)) {
    const entry = merged.get(key.slice(0, end));
    if (entry) return entry;
  }
  return undefined;
}

/** `secret/apps/billing/prod (kv2 version 3)`, `env DATABASE_URL` or `defaults`. */
function sourceOf(d: SecretDescription): string {
  if (d.source === 'env') return `env ${d.envVar ?? d.key}`;
  if (d.source === 'default') return 'defaults';
  const version = d.version !== undefined ? ` version ${d.version}` : '';
  return `${d.mount}/${d.path}${d.kvVersion ? ` (kv${d.kvVersion}${version})` : ''}`;
}

function toLayer(result: SourceReadResult): VaultLayer {
  const { source } = result;
  return {
    entries: secretEntries(result.data ?? {}, source.prefix, source.keys),
    describe: key =>
      Object.freeze({
        key,
        source: 'vault',
        mount: source.mount,
        path: source.path,
        ...(result.kvVersion ? { kvVersion: result.kvVersion } : {}),
        ...(result.version !== undefined ? { version: result.version } : {}),
        ...(result.lease ? { dynamic: true } : {}),
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
  results: readonly SourceReadResult[],
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
            ? result.source.type === 'kv'
              ? `kv${result.kvVersion ?? '?'}`
              : result.source.type
            : 'not found';
      places.push(`${source.mount}/${source.path} (${state})`);
    });
  }
  if (resolved.envFallback) places.push(`env ${envNamesFor(key, aliases).join('|')}`);
  return places;
}
