/**
 * The one rule for values read from Vault (and defaults), so a key reads the same from Vault or from
 * the environment: strings as they are; numbers, booleans and bigints → String(); null/undefined →
 * unset (the key is skipped, lower layers may supply it); objects and arrays → their JSON text. With a
 * schema, class-transformer's implicit conversion then turns these strings into typed values.
 */
export function normalizeSecretValue(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      if (value === null) return undefined;
      try {
        return JSON.stringify(value);
      } catch {
        return undefined;
      }
    default:
      return undefined;
  }
}

/**
 * Copies a secret's fields into a Map. Keys are taken as plain data: `__proto__`, `constructor`,
 * `prototype` and dotted names (`a.b`) stay flat keys and never touch any object's prototype.
 * `keys` keeps only the listed fields; `prefix` is prepended to each key.
 */
export function secretEntries(
  data: Record<string, unknown>,
  prefix = '',
  keys?: readonly string[],
): Map<string, string> {
  const out = new Map<string, string>();
  const wanted = keys ? new Set(keys) : undefined;
  for (const key of Object.keys(data)) {
    if (wanted && !wanted.has(key)) continue;
    const value = normalizeSecretValue(Object.getOwnPropertyDescriptor(data, key)?.value);
    if (value !== undefined) out.set(prefix + key, value);
  }
  return out;
}
