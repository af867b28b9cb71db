import type { WrappingTokenInfo } from '../auth/auth-method.interface.js';
import { VaultAuthError } from '../errors/vault-auth.error.js';
import type { VaultResponse } from '../interfaces/vault-transport.interface.js';
import { isObject } from '../utils/is-object.js';
import { vaultErrorStrings } from '../utils/safe-text.js';
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
): Promise<WrappingTokenInfo> {
  const path = 'sys/wrapping/lookup';
  const res = await client.request({
    method: 'POST',
    path,
    body: { token: wrappingToken },
    authenticated: false,
    idempotent: true,
  });
  if (res.status !== 200) throw wrappingError(res, path, method, wrappingToken);
  const { data } = expectEnvelope<Record<string, unknown>>(res, path, 'update');
  return {
    creationPath: typeof data.creation_path === 'string' ? data.creation_path : '',
    creationTtlS: typeof data.creation_ttl === 'number' ? data.creation_ttl : 0,
  };
}

/**
 * `sys/wrapping/unwrap` with the wrapping token as the request's token, as Vault asks. Sent once:
 * a repeat after a lost answer would find the token used and look like an interception.
 */
export async function unwrap(
  client: VaultRequester,
  wrappingToken: string,
  method: string,
): Promise<Record<string, unknown>> {
  const path = 'sys/wrapping/unwrap';
  const res = await client.request({
    method: 'POST',
    path,
    body: {},
    tokenOverride: wrappingToken,
    idempotent: false,
  });
  if (res.status !== 200) throw wrappingError(res, path, method, wrappingToken);
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
): VaultAuthError {
  const vaultErrors = vaultErrorStrings(res.body, [wrappingToken]);
  const used = res.status === 400 && vaultErrors.some(e => e.includes(NOT_VALID));
  return new VaultAuthError({
    method,
    status: res.status,
    vaultErrors,
    reason: used
      ? 'the wrapping token of the secret ID was already used or has expired. If it had not ' +
        'expired, someone else unwrapped it first: the secret ID may have been intercepted. ' +
        'Issue a new wrapped secret ID, deliver it again, and find out who unwrapped the old one'
      : `Vault answered ${res.status} at ${path}`,
  });
}
