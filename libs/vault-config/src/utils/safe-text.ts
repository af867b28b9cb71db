const MAX_LENGTH = 200;
const MAX_ERRORS = 3;

/**
 * Characters a terminal or log viewer acts on instead of showing: C0 and C1 controls (ESC, CSI
 * U+009B and OSC U+009D start escape sequences; CR and LF forge lines), DEL, the line and paragraph
 * separators, and the bidi marks, embeddings, overrides and isolates that reorder what is shown.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `text` with every unsafe character written out visibly (`\n`, `\u001b`, `\u202e`), so text from
 * Vault shows as what it is and stays on one line. Backslashes are left alone: an escape that was
 * in the text already cannot turn into a control character.
 */
export function escapeText(text: string): string {
  return text.replace(
    UNSAFE,
    c => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Untrusted text for an error message, a log line or the terminal: trimmed, cut, escaped. */
export function safeText(text: string, max = MAX_LENGTH): string {
  const trimmed = text.trim();
  const cut = trimmed.length > max ? `${trimmed.slice(0, max)}…` : trimmed;
  return escapeText(cut);
}

/**
 * Vault lays out several errors in one string with newlines and tabs (`1 error occurred:\n\t* …`):
 * folded into spaces they read as one line; any other control character is escaped.
 */
const LAYOUT = /[\t\n\r]+/g;

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
    .map(e => hidden.reduce((text, s) => text.split(s).join('[REDACTED]'), e))
    .map(e => safeText(e.replace(LAYOUT, ' ')));
}
