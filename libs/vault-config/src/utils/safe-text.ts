const MAX_LENGTH = 200;
const MAX_ERRORS = 3;

/** Shortens untrusted text for an error message and removes control characters. */
export function safeText(text: string, max = MAX_LENGTH): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** Shorter values are not cut out of error strings: they would mangle ordinary words. */
const MIN_REDACTED_LENGTH = 4;

/**
 * Vault's `errors` strings from an error body (at most 3, each truncated); [] for anything else.
 * Each of `secrets` is cut out first (before truncation, so a long echoed credential cannot leave
 * a prefix behind).
 */
export function vaultErrorStrings(body: unknown, secrets: readonly string[] = []): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  const hidden = secrets.filter(s => s.length >= MIN_REDACTED_LENGTH);
  return errors
    .filter((e): e is string => typeof e === 'string' && e.trim() !== '')
    .slice(0, MAX_ERRORS)
    .map(e => safeText(hidden.reduce((text, s) => text.split(s).join('[REDACTED]'), e)));
}
