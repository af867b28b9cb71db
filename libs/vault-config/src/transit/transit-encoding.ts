import { invalidArgument, type TransitTarget } from './transit-target.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Base64 as Vault expects it: a string's UTF-8 bytes, or the bytes given. */
export function toBase64(target: TransitTarget, value: unknown, field: string): string {
  if (typeof value === 'string') return Buffer.from(value, 'utf8').toString('base64');
  if (value instanceof Uint8Array) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  }
  throw invalidArgument(
    target,
    `${field} must be a string or a Buffer/Uint8Array, not ${kindOf(value)}`,
  );
}

/** The optional `context`, base64 encoded; undefined when absent or empty. */
export function contextBase64(target: TransitTarget, context: unknown): string | undefined {
  if (context === undefined) return undefined;
  const encoded = toBase64(target, context, 'context');
  return encoded === '' ? undefined : encoded;
}

/** A ciphertext the caller gives: a string (its content is never shown). */
export function ciphertextArgument(target: TransitTarget, value: unknown, field: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw invalidArgument(
    target,
    `${field} must be a non-empty string such as "vault:v1:…", not ${kindOf(value)}`,
  );
}

/** Strict standard base64 (Vault's answers are untrusted: Node's decoder would accept anything). */
export function decodeBase64(text: string): Buffer | undefined {
  return BASE64.test(text) ? Buffer.from(text, 'base64') : undefined;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'an empty string';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
