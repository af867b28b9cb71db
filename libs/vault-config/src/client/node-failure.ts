import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import type { VaultConfigError } from '../errors/vault-config.error.js';
import type { VaultResponse } from '../interfaces/vault-transport.interface.js';
import { isTlsErrorCode } from '../utils/tls-error-code.js';
import { isRetryableFailure, isRetryableStatus, saysSealed } from './retrying-request.js';
import { retryableErrors } from './retryable.js';

const isRedirect = (status: number) => status === 307 || status === 308;

/**
 * An answer that says this node cannot serve now, where another node of the cluster may: any 5xx
 * (sealed, uninitialised, a standby without a leader, a proxy), "Vault is sealed" whatever the
 * status, or a redirect (a standby that could not forward the request points at an active node
 * that may be gone; the other configured nodes are tried instead of following it).
 * 429 is not one: a rate limit or a health answer of a standby, the same on every node.
 */
export function isNodeDownAnswer(res: VaultResponse): boolean {
  return res.status >= 500 || isRedirect(res.status) || saysSealed(res);
}

/**
 * A failure of the connection to this node: refused, reset, timed out, unreachable, a body cut
 * short. A refused TLS handshake is not one: it is configuration, the same on every node.
 */
export function isNodeDownError(error: unknown): boolean {
  if (error instanceof VaultUnavailableError) return !isTlsErrorCode(error.errorCode);
  return error instanceof Error && retryableErrors.has(error);
}

/**
 * Whether a request that failed on one node may be sent to the next: the retry rules of
 * retrying-request (a non-idempotent request only when it surely was not acted on: not sent,
 * sealed), and a redirect, which is not acted on either.
 */
export function mayResendElsewhere(failure: VaultResponse | Error, idempotent: boolean): boolean {
  if (failure instanceof Error) {
    return isRetryableFailure(failure as VaultConfigError, failure, idempotent);
  }
  return (
    isRedirect(failure.status) ||
    saysSealed(failure) ||
    isRetryableStatus(failure.status, idempotent, saysSealed(failure))
  );
}
