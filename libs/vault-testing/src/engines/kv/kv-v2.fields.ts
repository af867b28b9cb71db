import { VaultHttpError } from '../../http/vault-http.error.js';

/** Vault's error for a field that must be a JSON object. */
export function notAMap(field: string, value: unknown): VaultHttpError {
  const type = Array.isArray(value)
    ? 'slice'
    : typeof value === 'number'
      ? 'float64'
      : typeof value;
  return VaultHttpError.badRequest(
    `error converting input for field "${field}": '' expected type 'map[string]interface {}', got unconvertible type '${type}'`,
  );
}

/** The KV plugin's lenient booleans (`cas_required`): true, 'true', 1, '1'; anything else false. */
export function kvBool(value: unknown): boolean {
  return value === true || value === 'true' || value === 1 || value === '1';
}
