import type { IncomingHttpHeaders } from 'node:http';

/** The caller's token: `X-Vault-Token`, else `Authorization: Bearer`. */
export function tokenFrom(headers: IncomingHttpHeaders): string | undefined {
  const header = headers['x-vault-token'];
  const direct = Array.isArray(header) ? header[0] : header;
  if (direct) return direct.trim();
  const auth = headers.authorization;
  if (auth && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  return undefined;
}
