import { VaultAuthError } from '../errors/vault-auth.error.js';
import type { VaultResponse } from '../interfaces/vault-transport.interface.js';
import { vaultErrorStrings } from '../utils/safe-text.js';

/**
 * A refused login: the method, the path (so the mount), Vault's own reason (bad role, claims or
 * audience, untrusted certificate, invalid credentials) with any echoed credential cut out, and
 * what to check.
 */
export function loginRefused(
  res: VaultResponse,
  path: string,
  method: string,
  secrets: readonly string[],
  hint: string | undefined,
): VaultAuthError {
  const check = hint ?? 'check the credentials and the auth mount';
  return new VaultAuthError({
    method,
    status: res.status,
    vaultErrors: vaultErrorStrings(res.body, secrets),
    reason:
      res.status === 403
        ? `Vault denied the login at ${path}; check the role and its bindings`
        : `Vault answered ${res.status} at ${path}; ${check}`,
  });
}
