import { VAULT_PLACEHOLDER } from '../options/vault-config-options.defaults.js';
import type { EnvHit } from './merge-by-precedence.js';

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
      if (value === undefined || value === '' || value.trim() === VAULT_PLACEHOLDER) continue;
      out.set(key, { value, envVar: name });
      break;
    }
  }
  return out;
}
