/** The `code` of a Node.js fs error (ENOENT, EACCES, ...): safe to show, unlike its message. */
export function fileErrorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : 'error';
}
