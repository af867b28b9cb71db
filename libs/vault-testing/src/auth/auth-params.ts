import { VaultHttpError } from '../http/vault-http.error.js';
import { isPlainObject, safeRecord } from '../util/safe-object.js';
import { asText } from '../util/as-text.js';

/** `["a","b"]` or `"a,b"` → list; undefined when absent. */
export function parseStringList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(v => String(v).trim()).filter(Boolean);
  if (typeof value === 'string')
    return value
      .split(',')
      .map(v => v.trim())
      .filter(Boolean);
  throw VaultHttpError.badRequest('expected a list of strings');
}

/** Go's strconv.ParseBool, as Vault's field parser applies it; anything else is a 400. */
export function toBool(value: unknown, field = 'value'): boolean {
  if (value === undefined || value === null) return false;
  if (value === true || value === false) return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
    if (['0', 'f', 'F', 'false', 'FALSE', 'False', ''].includes(value)) return false;
  }
  throw VaultHttpError.badRequest(
    `Field validation failed: error converting input for field "${field}": '' cannot parse value as 'bool': strconv.ParseBool: invalid syntax`,
  );
}

export function parseNumber(value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n))
    throw VaultHttpError.badRequest(`invalid number "${asText(value).slice(0, 32)}"`);
  return Math.trunc(n);
}

export function parseMeta(value: unknown): Record<string, string> | null {
  if (value === undefined || value === null) return null;
  if (!isPlainObject(value)) throw VaultHttpError.badRequest('meta must be a map of strings');
  const out = safeRecord() as Record<string, string>;
  for (const [k, v] of Object.entries(value)) out[k] = String(v);
  return out;
}
