/** Untrusted JSON input as text for a message or a string field, as Vault's `%v` shows it. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}
