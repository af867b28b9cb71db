import type { WrappingTokenInfo } from '../auth/auth-method.interface.js';
import { VaultAuthError } from '../errors/vault-auth.error.js';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import type { VaultResponse } from '../interfaces/vault-transport.interface.js';
import { isObject } from '../utils/is-object.js';
import { vaultErrorStrings } from '../utils/safe-text.js';
import { NOT_SENT_CODES } from './retryable.js';
import type { VaultRequester } from './vault-client-request.interface.js';
import { expectEnvelope } from './vault-response.js';

/** Vault's answer for a wrapping token that was used, has expired or never existed. */
const NOT_VALID = 'wrapping token is not valid or does not exist';

/**
 * `sys/wrapping/lookup` (no token needed): where the wrapping token was created and its TTL.
 * The wrapping token goes in the body and is not used up.
 */
export async function lookupWrapping(
  client: VaultRequester,
  wrappingToken: string,
  method: string,
  lost: ReadonlySet<string> = new Set(),
): Promise<WrappingTokenInfo> {
  const path = 'sys/wrapping/lookup';
  const res = await client.request({
    method: 'POST',
    path,
    body: { token: wrappingToken },
    authenticated: false,
    idempotent: true,
  });
  if (res.status !== 200) {
    throw wrappingError(res, path, method, wrappingToken, lost.has(wrappingToken));
  }
  const { data } = expectEnvelope<Record<string, unknown>>(res, path, 'update');
  return {
    creationPath: typeof data.creation_path === 'string' ? data.creation_path : '',
    creationTtlS: typeof data.creation_ttl === 'number' ? data.creation_ttl : 0,
  };
}

/**
 * `sys/wrapping/unwrap` with the wrapping token as the request's token, as Vault asks. Sent once:
 * a repeat after a lost answer would find the token used and look like an interception. An answer
 * lost after the request went out (a 5xx, a reset) is said to be lost, and `lost` remembers the
 * token, so a later "already used" for it is not reported as an interception.
 */
export async function unwrap(
  client: VaultRequester,
  wrappingToken: string,
  method: string,
  lost: Set<string> = new Set(),
): Promise<Record<string, unknown>> {
  const path = 'sys/wrapping/unwrap';
  let res: VaultResponse;
  try {
    res = await client.request({
      method: 'POST',
      path,
      body: {},
      tokenOverride: wrappingToken,
      idempotent: false,
    });
  } catch (error) {
    if (error instanceof VaultUnavailableError && !NOT_SENT_CODES.has(error.errorCode)) {
      lost.add(wrappingToken);
    }
    throw error;
  }
  if (res.status >= 500) {
    lost.add(wrappingToken);
    throw new VaultAuthError({
      method,
      status: res.status,
      vaultErrors: vaultErrorStrings(res.body, [wrappingToken]),
      reason:
        `the answer of ${path} was lost (${res.status} from Vault or a proxy in front of it): ` +
        'Vault may have unwrapped the secret ID, so the wrapping token may be used up. This is ' +
        'not a sign of interception; issue a new wrapped secret ID and deliver it again',
    });
  }
  if (res.status !== 200) {
    throw wrappingError(res, path, method, wrappingToken, lost.has(wrappingToken));
  }
  const envelope = expectEnvelope<unknown>(res, path, 'update', true);
  if (!isObject(envelope.data)) {
    throw new VaultAuthError({ method, reason: `the answer of ${path} holds no data` });
  }
  return envelope.data;
}

function wrappingError(
  res: VaultResponse,
  path: string,
  method: string,
  wrappingToken: string,
  answerLost = false,
): VaultAuthError {
  const vaultErrors = vaultErrorStrings(res.body, [wrappingToken]);
  const used = res.status === 400 && vaultErrors.some(e => e.includes(NOT_VALID));
  let reason = `Vault answered ${res.status} at ${path}`;
  if (used && answerLost) {
    reason =
      'the wrapping token of the secret ID was used up by an earlier unwrap whose answer was ' +
      'lost on the way back (not a sign of interception). Issue a new wrapped secret ID and ' +
      'deliver it again';
  } else if (used) {
    reason =
      'the wrapping token of the secret ID was already used or has expired. If it had not ' +
      'expired, someone else unwrapped it first: the secret ID may have been intercepted. ' +
      'Issue a new wrapped secret ID, deliver it again, and find out who unwrapped the old one';
  }
  return new VaultAuthError({ method, status: res.status, vaultErrors, reason });
}
