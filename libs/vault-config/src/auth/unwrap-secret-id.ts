import { VaultAuthError } from '../errors/vault-auth.error.js';
import { safeText } from '../utils/safe-text.js';
import type { VaultLoginClient } from './auth-method.interface.js';

const METHOD = 'approle';

/**
 * Unwraps a wrapped AppRole secret ID, as Vault's response-wrapping guide advises: first look the
 * wrapping token up and check it was created by `auth/<mount>/role/<role>/secret-id` (a token
 * created anywhere else may have been substituted), then unwrap it, which uses it up.
 */
export async function unwrapSecretId(
  client: VaultLoginClient,
  wrappingToken: string,
  mount: string,
): Promise<string> {
  const { creationPath } = await client.lookupWrapping(wrappingToken, METHOD);
  if (!isSecretIdPath(creationPath, mount)) {
    throw new VaultAuthError({
      method: METHOD,
      reason:
        `the wrapping token was created by ${safeText(creationPath || '(unknown)', 120)}, not by ` +
        `auth/${mount}/role/<role>/secret-id: it is not unwrapped, since it may have been ` +
        'substituted. Issue a wrapped secret ID for the role and deliver it again',
    });
  }
  const data = await client.unwrap(wrappingToken, METHOD);
  const secretId = data.secret_id;
  if (typeof secretId !== 'string' || secretId === '') {
    throw new VaultAuthError({
      method: METHOD,
      reason: 'the unwrapped answer holds no secret_id (was a secret ID wrapped?)',
    });
  }
  return secretId;
}

function isSecretIdPath(path: string, mount: string): boolean {
  const prefix = `auth/${mount}/role/`;
  const at = path.indexOf(prefix);
  // A namespace may come first (`team-a/auth/approle/...`).
  if (at < 0 || (at > 0 && path[at - 1] !== '/')) return false;
  return /^[^/]+\/(custom-)?secret-id$/.test(path.slice(at + prefix.length));
}
