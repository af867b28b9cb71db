import { VaultConfigError } from '../errors/vault-config.error.js';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import type {
  VaultHttpMethod,
  VaultRequest,
  VaultResponse,
  VaultTransport,
} from '../interfaces/vault-transport.interface.js';
import type { ResolvedRetryOptions } from '../options/resolved-vault-config-options.interface.js';
import {
  DEFAULT_RETRY_ATTEMPTS,
  DEFAULT_RETRY_MAX_DELAY_MS,
  DEFAULT_RETRY_MIN_DELAY_MS,
} from '../options/vault-config-options.defaults.js';
import { vaultErrorStrings } from '../utils/safe-text.js';
import { isTlsErrorCode } from '../utils/tls-error-code.js';
import { addressOf } from './answered-by.js';
import { backoffDelay, retryAfterDelay } from './backoff.js';
import type { EventLoopHold } from './event-loop-hold.js';
import { refusedHeaderError } from './header-values.js';
import { redactEchoes, requestSecrets } from './request-secrets.js';
import { NOT_SENT_CODES, retryableErrors, safeErrorCode } from './retryable.js';

/**
 * How one request is sent: where (for error messages, unless the transport marks the address an
 * answer came from), how often, and whether a repeat is harmless.
 */
export interface RetryContext {
  address: string;
  retry: ResolvedRetryOptions;
  idempotent: boolean;
  hold?: EventLoopHold;
}

// Global timer rather than node:timers/promises: retries are the rare path, boot should not load it.
const sleep = (ms: number, hold?: EventLoopHold) =>
  new Promise<void>(resolve => {
    const timer = setTimeout(resolve, ms);
    hold?.apply(timer);
  });

export function resolveRetryOptions(retry?: Partial<ResolvedRetryOptions>): ResolvedRetryOptions {
  return {
    attempts: retry?.attempts ?? DEFAULT_RETRY_ATTEMPTS,
    minDelayMs: retry?.minDelayMs ?? DEFAULT_RETRY_MIN_DELAY_MS,
    maxDelayMs: retry?.maxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS,
  };
}

/** POST and PATCH may have been applied by a failed attempt; the other methods are safe to repeat. */
export function isIdempotent(method: VaultHttpMethod, explicit?: boolean): boolean {
  return explicit ?? (method !== 'POST' && method !== 'PATCH');
}

const SEALED = /\bis sealed\b/i;

/** Whether Vault's own error strings say it is sealed (whatever the status). */
export const saysSealed = (res: VaultResponse): boolean =>
  vaultErrorStrings(res.body).some(e => SEALED.test(e));

/**
 * Whether a status is worth another attempt: 429 always (a rate limit refuses before acting); any
 * 5xx when a repeat is harmless. A non-idempotent request (an unwrap, a login with a one-time
 * secret ID, a write) is sent again only after a 503 in which Vault says it is sealed (`sealed`): a
 * 502 or 504 (or a proxy's 503) may come after Vault acted and the proxy lost the answer, and a
 * repeat would then unwrap nothing, spend a second secret-ID use or write twice.
 */
export function isRetryableStatus(status: number, idempotent: boolean, sealed = false): boolean {
  return status === 429 || (status >= 500 && (idempotent || (status === 503 && sealed)));
}

/**
 * Whether a failed attempt is worth another. `failure` is the sanitized error, `cause` what the
 * transport threw (a transport may mark an error retryable, e.g. a body cut short).
 */
export function isRetryableFailure(
  failure: VaultConfigError,
  cause: unknown,
  idempotent: boolean,
): boolean {
  const unreachable =
    failure instanceof VaultUnavailableError &&
    // A certificate Vault's TLS handshake rejected once is rejected again.
    !isTlsErrorCode(failure.errorCode) &&
    (idempotent || NOT_SENT_CODES.has(failure.errorCode));
  return unreachable || (idempotent && retryableErrors.has(cause as Error));
}

/**
 * Sends `req` until it gets an answer that is not a retryable status, or the attempts run out.
 * Every answer comes back with the request's own token and body values cut out of Vault's errors.
 * Resolves with any non-retryable status (the caller reads 4xx); rejects with VaultUnavailableError
 * after exhausted 429/5xx or network failures, or with the transport's VaultConfigError.
 */
export async function sendWithRetries(
  transport: VaultTransport,
  req: VaultRequest,
  context: RetryContext,
): Promise<VaultResponse> {
  const { attempts } = context.retry;
  const secrets = requestSecrets(req);
  for (let attempt = 1; ; attempt++) {
    let response: VaultResponse;
    try {
      response = redactEchoes(await transport.request(req), secrets);
    } catch (error) {
      const failure = transportFailure(error, addressOf(error, context.address), req.path, attempt);
      if (attempt < attempts && isRetryableFailure(failure, error, context.idempotent)) {
        await sleep(backoffDelay(attempt, context.retry), context.hold);
        continue;
      }
      throw failure;
    }
    const status = response.status;
    if (!isRetryableStatus(status, context.idempotent, saysSealed(response))) return response;
    if (attempt < attempts) {
      const hinted =
        status === 429
          ? retryAfterDelay(response.headers['retry-after'], context.retry.maxDelayMs)
          : undefined;
      await sleep(hinted ?? backoffDelay(attempt, context.retry), context.hold);
      continue;
    }
    throw new VaultUnavailableError({
      address: addressOf(response, context.address),
      errorCode: `HTTP_${status}`,
      path: req.path,
      status,
      attempts: attempt,
      vaultErrors: vaultErrorStrings(response.body),
    });
  }
}

/** What a transport threw, as a library error that names our address, the path and the attempts. */
export function transportFailure(
  error: unknown,
  address: string,
  path: string,
  attempts: number,
): VaultConfigError {
  if (error instanceof VaultUnavailableError) {
    return new VaultUnavailableError({
      address,
      errorCode: error.errorCode,
      path,
      attempts,
      ...(error.status !== undefined ? { status: error.status } : {}),
      vaultErrors: error.vaultErrors,
    });
  }
  if (error instanceof VaultConfigError) return error;
  const refused = refusedHeaderError(error, path);
  if (refused) return refused;
  // A foreign transport's error may carry the token or a body: keep only its code.
  return new VaultUnavailableError({ address, errorCode: safeErrorCode(error), path, attempts });
}
