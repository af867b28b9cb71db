import type { HashFn } from './audit-hash.js';
import { asText } from '../util/as-text.js';

/** Far deeper than any Vault payload; deeper values are dropped rather than risk the stack. */
const MAX_DEPTH = 64;

/**
 * A copy of `value` with every string replaced by its HMAC, like Vault's `HashStructure`: object keys,
 * numbers, booleans and null stay as they are. Objects are rebuilt on null-prototype maps, so keys such as
 * `__proto__` stay plain data.
 */
export function hashStructure(value: unknown, hash: HashFn, depth = 0): unknown {
  if (typeof value === 'string') return hash(value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol')
    return undefined;
  if (depth >= MAX_DEPTH) return null;
  // Vault writes time values as RFC 3339 text without hashing them.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) {
    return value.map(item => hashStructure(item, hash, depth + 1) ?? null);
  }
  if (typeof value === 'object' && !ArrayBuffer.isView(value)) {
    const copy = Object.create(null) as Record<string, unknown>;
    for (const [key, item] of Object.entries(value)) {
      const hashed = hashStructure(item, hash, depth + 1);
      if (hashed !== undefined) copy[key] = hashed;
    }
    return copy;
  }
  // bigint, Buffer and other exotic values: never written in clear.
  return hash(asText(value));
}
