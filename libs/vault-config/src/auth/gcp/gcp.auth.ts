import type { VaultAuthBlock } from '../../interfaces/vault-envelope.interface.js';
import type { ResolvedCloudAuthOptions } from '../../options/resolved-cloud-auth-options.interface.js';
import type { AuthMethod, VaultLoginClient } from '../auth-method.interface.js';
import { CLOUD_CREDENTIALS_DEADLINE_MS } from '../cloud/cloud-auth.constants.js';
import { scrubbedLogin } from '../cloud/scrubbed-login.js';
import { withDeadline } from '../cloud/with-deadline.js';
import { gceIdentityToken } from './gce-identity-token.js';
import { loadGoogleAuth } from './gcp-sdk.js';
import { iamSignedJwt } from './iam-signed-jwt.js';

type GcpOptions = Extract<ResolvedCloudAuthOptions, { method: 'gcp' }>;

/**
 * Vault's gcp auth: POST auth/<mount>/login { role, jwt } with a GCE instance identity token
 * (`gce`) or a JWT signed for a service account (`iam`), fetched anew at each login within
 * `deadlineMs`.
 */
export class GcpAuth implements AuthMethod {
  readonly name = 'gcp';
  readonly canReauthenticate = true;
  readonly ownsToken = true;

  constructor(
    private readonly options: GcpOptions,
    private readonly deadlineMs = CLOUD_CREDENTIALS_DEADLINE_MS,
  ) {}

  async authenticate(client: VaultLoginClient): Promise<VaultAuthBlock> {
    const sdk = await loadGoogleAuth();
    const jwt = await withDeadline(
      this.options.type === 'gce'
        ? gceIdentityToken(sdk, this.options.role)
        : iamSignedJwt(sdk, this.options),
      this.deadlineMs,
      this.name,
      this.options.type === 'gce' ? 'the GCE identity token' : 'the signed service account JWT',
    );
    const signature = jwt.split('.')[2] ?? '';
    return scrubbedLogin(client, this.options.mount, { role: this.options.role, jwt }, this.name, [
      jwt,
      signature,
    ]);
  }
}
