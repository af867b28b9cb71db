import { VaultAuthError } from '../errors/vault-auth.error.js';
import { safeText } from '../utils/safe-text.js';
import type { VaultLoginClient } from './auth-method.interface.js';

const METHOD = 'approle';

/**
 * Unwraps a wrapped AppRole secret ID, as Vault's response-wrapping guide advises: first look the
 * wrapping token up and check it was created where Vault generates a secret ID,
 * `auth/<mount>/role/<role>/secret-id` (with `roleName`, that role only), then unwrap it, which uses
 * it up. A token created anywhere else may have been substituted: someone who stole the secret ID
 * can wrap it again through `sys/wrapping/wrap` or as a custom secret ID of their own role.
 */
export async function unwrapSecretId(
  client: VaultLoginClient,
  wrappingToken: string,
  mount: string,
  roleName?: string,
): Promise<string> {
  const { creationPath } = await client.lookupWrapping(wrappingToken, METHOD);
  const expected = `auth/${mount}/role/${roleName ?? '<role>'}/secret-id`;
  if (!isSecretIdPath(creationPath, mount, roleName)) {
    throw new VaultAuthError({
      method: METHOD,
      reason:
        `the wrapping token was created by ${safeText(creationPath || '(unknown)', 120)}, not by ` +
        `${expected}: it is not unwrapped, since it may have been substituted. Issue a wrapped ` +
        'secret ID for the role and deliver it again',
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

/**
 * The creation path of a generated secret ID, exactly: no prefix (Vault reports the path inside the
 * namespace, so another namespace cannot be told apart here), no `custom-secret-id`.
 */
function isSecretIdPath(path: string, mount: string, roleName: string | undefined): boolean {
  const prefix = `auth/${mount}/role/`;
  const suffix = '/secret-id';
  if (!path.startsWith(prefix) || !path.endsWith(suffix)) return false;
  const role = path.slice(prefix.length, path.length - suffix.length);
  if (role === '' || role.includes('/')) return false;
  // Vault matches role names without regard to case.
  return roleName === undefined || role.toLowerCase() === roleName.toLowerCase();
}
