import type { VaultAuthBlock } from '../../interfaces/vault-envelope.interface.js';
import type { ResolvedCloudAuthOptions } from '../../options/resolved-cloud-auth-options.interface.js';
import type { AuthMethod, VaultLoginClient } from '../auth-method.interface.js';
import { scrubbedLogin } from '../cloud/scrubbed-login.js';
import { gceIdentityToken } from './gce-identity-token.js';
import { loadGoogleAuth } from './gcp-sdk.js';
import { iamSignedJwt } from './iam-signed-jwt.js';

type GcpOptions = Extract<ResolvedCloudAuthOptions, { method: 'gcp' }>;

/**
 * Vault's gcp auth: POST auth/<mount>/login { role, jwt } with a GCE instance identity token
 * (`gce`) or a JWT signed for a service account (`iam`), fetched anew at each login.
 */
export class GcpAuth implements AuthMethod {
  readonly name = 'gcp';
  readonly canReauthenticate = true;
  readonly ownsToken = true;

  constructor(private readonly options: GcpOptions) {}

  async authenticate(client: VaultLoginClient): Promise<VaultAuthBlock> {
    const sdk = await loadGoogleAuth();
    const jwt =
      this.options.type === 'gce'
        ? await gceIdentityToken(sdk, this.options.role)
        : await iamSignedJwt(sdk, this.options);
    const signature = jwt.split('.')[2] ?? '';
    return scrubbedLogin(client, this.options.mount, { role: this.options.role, jwt }, this.name, [
      jwt,
      signature,
    ]);
  }
}
