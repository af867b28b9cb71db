import { isObject } from '../utils/is-object.js';
import { own, stringList, type RawOptions, type Report } from './option-reader.js';
import type { ResolvedVaultConfigOptions } from './resolved-vault-config-options.interface.js';

type ConfigValue = string | number | boolean;

/**
 * What fills a key Vault does not have: `envFallback` (the process environment, under the key's
 * own name or its aliases; on unless `false`) and then `defaults`. Only plain scalars are accepted
 * as defaults, because they land in ConfigService next to strings read from Vault.
 */
export function validateEnvFallbackOptions(
  raw: RawOptions,
  problem: Report,
): Pick<ResolvedVaultConfigOptions, 'envFallback' | 'defaults'> {
  const envFallback = resolveEnvFallback(own(raw, 'envFallback'), problem);
  const defaults = resolveDefaults(own(raw, 'defaults'), problem);
  return { envFallback, defaults };
}

function resolveEnvFallback(
  v: unknown,
  problem: Report,
): ResolvedVaultConfigOptions['envFallback'] {
  if (v === undefined || v === true) return { aliases: new Map() };
  if (v === false) return false;
  if (!isObject(v)) {
    problem('envFallback', 'must be a boolean or { aliases }');
    return false;
  }
  const aliases = new Map<string, string[]>();
  const rawAliases = own(v, 'aliases');
  if (rawAliases === undefined) return { aliases };
  if (!isObject(rawAliases)) {
    problem('envFallback.aliases', 'must be an object of key → environment variable names');
    return { aliases };
  }
  for (const key of Object.keys(rawAliases)) {
    const names = stringList(rawAliases[key], `envFallback.aliases.${key}`, problem);
    if (names) aliases.set(key, names);
  }
  return { aliases };
}

function resolveDefaults(v: unknown, problem: Report): Map<string, ConfigValue> {
  const defaults = new Map<string, ConfigValue>();
  if (v === undefined) return defaults;
  if (!isObject(v)) {
    problem('defaults', 'must be an object of key → string, number or boolean');
    return defaults;
  }
  for (const key of Object.keys(v)) {
    const value = v[key];
    const ok =
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value));
    if (ok) defaults.set(key, value);
    else problem(`defaults.${key}`, 'must be a string, a finite number or a boolean');
  }
  return defaults;
}
