import { INSPECT } from '../utils/inspect.js';
import type { VaultConfigModuleSettings } from './interfaces/vault-config-module-options.interface.js';

/** View → the options it was made from, for the module's own providers. */
const originals = new WeakMap<object, VaultConfigModuleSettings>();

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * A frozen copy of `source` (plain objects in it copied the same way, anything else shared) that
 * prints `name { key, …: values redacted }` under `util.inspect`, `JSON.stringify` and `String()`.
 * Key names are what the caller wrote; values (tokens, secret IDs, passwords, keys, defaults) never
 * print.
 */
function redactedCopy<T extends object>(source: T, name: string): T {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    copy[key] = isPlainObject(value) ? redactedCopy(value, key) : value;
  }
  const keys = Object.keys(copy);
  const label = `${name} { ${keys.length > 0 ? `${keys.join(', ')}: ` : ''}values redacted }`;
  const print = { value: () => label, enumerable: false };
  Object.defineProperties(copy, { [INSPECT]: print, toJSON: print, toString: print });
  return Object.freeze(copy) as T;
}

/**
 * What `VAULT_CONFIG_OPTIONS` holds: the options with the same properties, printing no value.
 * The object the caller passed is neither changed nor printed. @internal
 */
export function redactedOptionsView(options: VaultConfigModuleSettings): VaultConfigModuleSettings {
  const view = redactedCopy(options, 'VaultConfigOptions');
  originals.set(view, options);
  return view;
}

/**
 * The options a view was made from; anything else (a test's override of `VAULT_CONFIG_OPTIONS`)
 * is used as it is. @internal
 */
export function originalOptionsOf(options: VaultConfigModuleSettings): VaultConfigModuleSettings {
  return originals.get(options) ?? options;
}
