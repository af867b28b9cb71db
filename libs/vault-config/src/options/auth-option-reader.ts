import { nonEmpty, own, type RawOptions, type Report } from './option-reader.js';
import { normalizeVaultPath } from './path-template.js';

/** Every `auth.method` the module knows, in the order the error message lists them. */
export const AUTH_METHOD_NAMES = [
  'token',
  'tokenFile',
  'approle',
  'kubernetes',
  'jwt',
  'cert',
  'userpass',
  'ldap',
  'aws',
  'gcp',
  'azure',
] as const;

/** `'a', 'b' or 'c'`, for messages. */
export const AUTH_METHOD_LIST = AUTH_METHOD_NAMES.map(m => `'${m}'`)
  .join(', ')
  .replace(/, ([^,]+)$/, ' or $1');

export interface AuthFieldReader {
  /** A non-empty string, or undefined (a present but empty or non-string value is reported). */
  optional(key: string): string | undefined;
  /** As `optional`, and reported when absent. */
  required(key: string): string | undefined;
  /** The auth mount, normalised; `fallback` when absent or unusable (then reported). */
  mount(fallback: string): string;
  /**
   * Exactly one of `inline` (a credential, wrapped by the caller) and `file` (its path): both or
   * neither is reported under `auth.<inline>`.
   */
  oneOf(inline: string, file: string): { inline?: string; file?: string };
}

/** String readers for the fields of `auth`, reporting under `auth.<key>`. */
export function authReader(v: RawOptions, problem: Report): AuthFieldReader {
  const optional = (key: string): string | undefined => {
    const s = own(v, key);
    if (s === undefined) return undefined;
    if (!nonEmpty(s)) problem(`auth.${key}`, 'must be a non-empty string');
    return nonEmpty(s) ? s : undefined;
  };
  const required = (key: string): string | undefined => {
    if (own(v, key) === undefined) problem(`auth.${key}`, 'is required');
    return optional(key);
  };
  const mount = (fallback: string): string => {
    const m = optional('mount');
    if (m === undefined) return fallback;
    const normalized = normalizeVaultPath(m);
    if (!normalized) problem('auth.mount', `must be a mount path such as ${fallback}`);
    return normalized ?? fallback;
  };
  const oneOf = (inline: string, file: string) => {
    const value = optional(inline);
    const path = optional(file);
    if (own(v, inline) === undefined && own(v, file) === undefined) {
      problem(`auth.${inline}`, `or auth.${file} is required`);
    } else if (value !== undefined && path !== undefined) {
      problem(`auth.${inline}`, `and auth.${file} are mutually exclusive`);
    }
    return { ...(value !== undefined ? { inline: value } : {}), ...(path ? { file: path } : {}) };
  };
  return { optional, required, mount, oneOf };
}
