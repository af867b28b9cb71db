import { VaultPermissionError } from '../errors/vault-permission.error.js';
import { VaultResponseError } from '../errors/vault-response.error.js';
import type { VaultConfigError } from '../errors/vault-config.error.js';
import type {
  VaultAuthBlock,
  VaultEnvelope,
  VaultHealthStatus,
} from '../interfaces/vault-envelope.interface.js';
import type { VaultResponse } from '../interfaces/vault-transport.interface.js';
import { isObject } from '../utils/is-object.js';
import { vaultErrorStrings } from '../utils/safe-text.js';

// Vault's answers are untrusted: each reader checks the shape it relies on and names the path.

/** The error for an unexpected status: 403 → permission, others → VaultResponseError. */
export function statusError(
  res: VaultResponse,
  path: string,
  capability: string,
): VaultConfigError {
  const vaultErrors = vaultErrorStrings(res.body);
  if (res.status === 403)
    return new VaultPermissionError({ paths: [path], capability, vaultErrors });
  return new VaultResponseError({
    path,
    status: res.status,
    reason: `status ${res.status}`,
    vaultErrors,
  });
}

export function expectEnvelope<T>(
  res: VaultResponse,
  path: string,
  capability: string,
  allowNullData = false,
): VaultEnvelope<T> {
  if (res.status < 200 || res.status >= 300) throw statusError(res, path, capability);
  const body = res.body;
  if (!isObject(body)) {
    throw new VaultResponseError({
      path,
      status: res.status,
      reason: 'the body is not a JSON object',
    });
  }
  if (!allowNullData && !isObject(body.data)) {
    throw new VaultResponseError({ path, status: res.status, reason: '"data" is not an object' });
  }
  return body as unknown as VaultEnvelope<T>;
}

export function expectAuth(envelope: VaultEnvelope<unknown>, path: string): VaultAuthBlock {
  const auth = envelope.auth;
  if (!isObject(auth) || typeof auth.client_token !== 'string' || auth.client_token === '') {
    throw new VaultResponseError({ path, reason: 'the answer has no auth.client_token' });
  }
  return {
    client_token: auth.client_token,
    lease_duration: typeof auth.lease_duration === 'number' ? auth.lease_duration : 0,
    renewable: auth.renewable === true,
    ...(typeof auth.accessor === 'string' ? { accessor: auth.accessor } : {}),
    ...(Array.isArray(auth.policies)
      ? { policies: auth.policies.filter(p => typeof p === 'string') }
      : {}),
    ...(Array.isArray(auth.token_policies)
      ? { token_policies: auth.token_policies.filter(p => typeof p === 'string') }
      : {}),
  };
}

/** A `sys/health` answer: standby, sealed, uninitialised... are answers (their own statuses), not errors. */
export function expectHealth(res: VaultResponse): VaultHealthStatus {
  const body = res.body;
  if (!isObject(body) || typeof body.sealed !== 'boolean') {
    throw new VaultResponseError({
      path: 'sys/health',
      status: res.status,
      reason: 'not a health answer',
    });
  }
  return {
    status: res.status,
    initialized: body.initialized === true,
    sealed: body.sealed,
    standby: body.standby === true,
    ...(typeof body.version === 'string' ? { version: body.version } : {}),
  };
}
