/** Errors a transport marks as worth retrying (e.g. a body cut short) although they are not network errors. */
export const retryableErrors = new WeakSet<Error>();

/** Network error codes after which a non-idempotent request surely did not reach Vault. */
export const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/** A code safe to copy from a foreign error: short, upper-case, no data. */
export function safeErrorCode(error: unknown, fallback = 'NETWORK_ERROR'): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? code : fallback;
}
