import { VAULT_PLACEHOLDER } from '../options/vault-config-options.defaults.js';
import type { EnvHit } from './merge-by-precedence.js';
import type { SnapshotEntry } from './secret-snapshot.js';

const isPlaceholder = (value: string | undefined): boolean => value?.trim() === VAULT_PLACEHOLDER;

/** The environment variable names tried for a key: the key itself, then its aliases in order. */
export function envNamesFor(key: string, aliases: ReadonlyMap<string, string[]>): string[] {
  return [key, ...(aliases.get(key) ?? [])];
}

/**
 * Environment values for the keys the app declares (never the whole environment, so unrelated
 * variables never become config). A variable that is unset, empty, or holds the placeholder
 * `[VAULT]` counts as unset and the next alias is tried.
 */
export function resolveEnvValues(
  declared: Iterable<string>,
  aliases: ReadonlyMap<string, string[]>,
  env: NodeJS.ProcessEnv,
): Map<string, EnvHit> {
  const out = new Map<string, EnvHit>();
  for (const key of declared) {
    for (const name of envNamesFor(key, aliases)) {
      const value = Object.hasOwn(env, name) ? env[name] : undefined;
      if (value === undefined || value === '' || isPlaceholder(value)) continue;
      out.set(key, { value, envVar: name });
      break;
    }
  }
  return out;
}

/**
 * Keys whose environment variable holds `[VAULT]`, the placeholder `vault-config migrate` leaves
 * for a value it moved to Vault, mapped to that variable's name: the names tried for each declared
 * key, then any other variable under its own name (an undeclared key still reads `[VAULT]` through
 * `process.env`). Only names come out: the placeholder is no secret and no other value is kept.
 */
export function findPlaceholders(
  declared: Iterable<string>,
  aliases: ReadonlyMap<string, string[]>,
  env: NodeJS.ProcessEnv,
): Map<string, string> {
  const out = new Map<string, string>();
  const claimed = new Set<string>();
  for (const key of declared) {
    for (const name of envNamesFor(key, aliases)) {
      claimed.add(name);
      if (!out.has(key) && Object.hasOwn(env, name) && isPlaceholder(env[name])) {
        out.set(key, name);
      }
    }
  }
  for (const name of Object.keys(env)) {
    if (!claimed.has(name) && !out.has(name) && isPlaceholder(env[name])) out.set(name, name);
  }
  return out;
}

/**
 * One warning line for the placeholders that no Vault source filled, or undefined. Says what the
 * app got instead: nothing, another variable, or the default — never a value.
 */
export function placeholderWarning(
  placeholders: ReadonlyMap<string, string>,
  merged: ReadonlyMap<string, SnapshotEntry>,
  vaultSources: readonly string[],
): string | undefined {
  const items: string[] = [];
  for (const [key, envVar] of placeholders) {
    const entry = merged.get(key);
    if (entry?.description.source === 'vault') continue;
    const name = key === envVar ? key : `${key} (env ${envVar})`;
    const got = !entry
      ? 'unset'
      : entry.description.source === 'env'
        ? `using env ${entry.description.envVar ?? key}`
        : 'using its default';
    items.push(`${name}: ${got}`);
  }
  if (!items.length) return undefined;
  const where = vaultSources.length
    ? `a Vault source (${vaultSources.join(', ')})`
    : 'a Vault source (none is read)';
  return (
    `${items.length} environment variable(s) hold the [VAULT] placeholder left by vault-config ` +
    `migrate, but no Vault source provided the key: ${items.join('; ')}. Put the values in ` +
    `${where}, or set real values in the environment.`
  );
}
