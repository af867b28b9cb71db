import { VaultAuthError } from '../../errors/vault-auth.error.js';
import { googleErrorDetail, type GoogleAuthSdk } from './gcp-sdk.js';

/**
 * The instance identity token of the GCE metadata server (GCE_METADATA_HOST overrides its address),
 * with the audience Vault's gcp plugin expects and the instance details (`format=full`).
 */
export async function gceIdentityToken(sdk: GoogleAuthSdk, role: string): Promise<string> {
  let token: unknown;
  try {
    token = await sdk.gcpMetadata.instance({
      property: 'service-accounts/default/identity',
      params: { audience: `vault/${role}`, format: 'full' },
    });
  } catch (error) {
    throw new VaultAuthError({
      method: 'gcp',
      reason:
        'cannot get the instance identity token from the GCE metadata server ' +
        `(${process.env.GCE_METADATA_HOST ?? 'metadata.google.internal'}): ${googleErrorDetail(error)}`,
    });
  }
  if (typeof token !== 'string' || token.split('.').length !== 3) {
    throw new VaultAuthError({
      method: 'gcp',
      reason: 'the GCE metadata server answered no identity token (a JWT)',
    });
  }
  return token;
}
