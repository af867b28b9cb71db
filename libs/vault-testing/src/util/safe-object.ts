/** A plain map that cannot be polluted: no prototype, so `__proto__`/`constructor` are ordinary keys. */
export type SafeRecord = Record<string, unknown>;

export function safeRecord(): SafeRecord {
  return Object.create(null) as SafeRecord;
}

export function isPlainObject(value: unknown): value is SafeRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep copy of JSON-like data into prototype-less objects (bounded depth, so hostile input cannot recurse forever). */
export function toSafe(value: unknown, depth = 0): unknown {
  if (depth > 200) throw new Error('value nested too deeply');
  if (Array.isArray(value)) return value.map(v => toSafe(v, depth + 1));
  if (isPlainObject(value)) {
    const out = safeRecord();
    for (const key of Object.keys(value)) out[key] = toSafe(value[key], depth + 1);
    return out;
  }
  return value;
}

export function deepClone<T>(value: T): T {
  return toSafe(value) as T;
}
