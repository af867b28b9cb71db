/** A plain JSON object (not null, not an array): the shape check every untrusted Vault answer needs. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
