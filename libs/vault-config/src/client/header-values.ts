import { VaultAuthError } from '../errors/vault-auth.error.js';
import { VaultConfigOptionsError } from '../errors/vault-config-options.error.js';
import type { VaultRequest } from '../interfaces/vault-transport.interface.js';
import { isHeaderValue, NOT_A_HEADER_VALUE } from '../options/option-reader.js';

/** Node's codes for a header it refused to send: the request never left the process. */
const REFUSED_HEADER_CODES = new Set([
  'ERR_INVALID_CHAR',
  'ERR_HTTP_INVALID_HEADER_VALUE',
  'ERR_INVALID_HTTP_TOKEN',
]);

/**
 * Refuses, before anything is sent, a request whose token, namespace or header Node would refuse
 * (a token file or variable with a line break inside, say): a local mistake, reported as one and
 * never as "Vault unavailable", which would be retried and could boot the app from fallbacks.
 * `wrapping`: the token is a response-wrapping token. Never shows a value.
 */
export function checkHeaderValues(req: VaultRequest, wrapping: boolean): void {
  if (req.token !== undefined && !isHeaderValue(req.token)) {
    throw new VaultAuthError({
      method: 'token',
      reason:
        `the ${wrapping ? 'wrapping token' : 'token'} ${NOT_A_HEADER_VALUE}; check the file or ` +
        'variable it was read from (nothing was sent)',
    });
  }
  const problems = [
    ...(req.namespace !== undefined && !isHeaderValue(req.namespace) ? ['namespace'] : []),
    ...Object.entries(req.headers ?? {})
      .filter(([, value]) => !isHeaderValue(value))
      .map(([name]) => `header ${/^[A-Za-z0-9-]{1,64}$/.test(name) ? name : '(unnamed)'}`),
  ];
  if (problems.length) {
    throw new VaultConfigOptionsError(
      problems.map(option => ({
        option,
        message: NOT_A_HEADER_VALUE,
      })),
    );
  }
}

/** A transport's error that is Node refusing a header value: a local error, not an outage. */
export function refusedHeaderError(
  error: unknown,
  path: string,
): VaultConfigOptionsError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !REFUSED_HEADER_CODES.has(code)) return undefined;
  return new VaultConfigOptionsError([
    {
      option: 'transport',
      message: `refused to send ${path} (${code}): a header value holds a character HTTP does not allow; nothing was sent`,
    },
  ]);
}
