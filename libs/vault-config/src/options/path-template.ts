const PLACEHOLDER = /\{([^{}]*)\}/g;

/**
 * Replaces `{env}` in a source path. Any other `{name}` is an error (returned as a message), so a
 * typo such as `{ENV}` never reaches Vault as a literal path.
 */
export function renderSourcePath(path: string, env: string): { path: string } | { error: string } {
  let unknown: string | undefined;
  const rendered = path.replace(PLACEHOLDER, (match, name: string) => {
    if (name === 'env') return env;
    unknown ??= match;
    return match;
  });
  if (unknown) return { error: `uses unknown placeholder ${unknown} (only {env} is supported)` };
  return { path: rendered };
}

/** A value usable as one path segment: letters, digits, `.`, `_`, `-`; not `.` or `..`. */
export function isSafePathSegment(value: string): boolean {
  return /^[A-Za-z0-9._-]+$/.test(value) && value !== '.' && value !== '..';
}

/** Trims slashes; rejects empty, `.`/`..` segments and empty segments (`a//b`). */
export function normalizeVaultPath(path: string): string | undefined {
  const trimmed = path.trim().replace(/^\/+|\/+$/g, '');
  if (!trimmed) return undefined;
  const segments = trimmed.split('/');
  if (segments.some(s => s === '' || s === '.' || s === '..')) return undefined;
  return trimmed;
}
