const MAX_LENGTH = 200;
const MAX_ERRORS = 3;

/** Shortens untrusted text for an error message and removes control characters. */
export function safeText(text: string, max = MAX_LENGTH): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** Vault's `errors` strings from an error body (at most 3, each truncated); [] for anything else. */
export function vaultErrorStrings(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .filter((e): e is string => typeof e === 'string' && e.trim() !== '')
    .slice(0, MAX_ERRORS)
    .map(e => safeText(e));
}
