import type { IncomingHttpHeaders } from 'node:http';
import type { WrappingStore } from '../state/wrapping-store.js';
import { parseDurationSeconds } from '../util/duration.js';
import { isPlainObject } from '../util/safe-object.js';
import { JSON_HEADERS, type HttpAnswer } from './http-answer.js';
import { VaultHttpError } from './vault-http.error.js';
import type { VaultResult } from './vault-result.interface.js';

/** `X-Vault-Wrap-TTL` in seconds (a number or a Go duration); 0 when absent or zero. */
export function wrapTtlOf(headers: IncomingHttpHeaders): number {
  const raw = headers['x-vault-wrap-ttl'];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!value) return 0;
  try {
    return parseDurationSeconds(/^\d+$/.test(value) ? Number(value) : value);
  } catch (err) {
    const reason = err instanceof VaultHttpError ? err.errors[0] : 'invalid duration';
    throw VaultHttpError.badRequest(`error parsing X-Vault-Wrap-TTL header: ${reason}`);
  }
}

/**
 * A successful answer with a body, wrapped: the envelope goes into the store and the caller gets
 * only `wrap_info`. `wrapped_accessor` names the token (logins) or secret ID (AppRole) inside.
 */
export function wrapAnswer(
  answer: HttpAnswer,
  result: VaultResult,
  store: WrappingStore,
  wrap: { ttl: number; path: string; namespace: string },
): HttpAnswer {
  if (answer.status !== 200 || answer.body === undefined) return answer;
  const envelope = JSON.parse(answer.body) as Record<string, unknown>;
  const info = store.wrap(envelope, wrap.path, wrap.ttl, wrap.namespace, wrappedAccessor(result));
  const body = {
    request_id: '',
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data: null,
    wrap_info: info,
    warnings: null,
    auth: null,
  };
  return { status: 200, headers: { ...JSON_HEADERS }, body: `${JSON.stringify(body)}\n` };
}

function wrappedAccessor(result: VaultResult): string | undefined {
  const auth = result.auth;
  if (isPlainObject(auth) && typeof auth.accessor === 'string') return auth.accessor;
  const data = result.data;
  if (isPlainObject(data) && typeof data.secret_id_accessor === 'string') {
    return data.secret_id_accessor;
  }
  return undefined;
}
