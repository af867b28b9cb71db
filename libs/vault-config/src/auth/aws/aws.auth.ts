import { errorName } from '../../errors/describe-error.js';
import { VaultAuthError } from '../../errors/vault-auth.error.js';
import type { VaultAuthBlock } from '../../interfaces/vault-envelope.interface.js';
import type { ResolvedCloudAuthOptions } from '../../options/resolved-cloud-auth-options.interface.js';
import type { AuthMethod, VaultLoginClient } from '../auth-method.interface.js';
import { CLOUD_CREDENTIALS_DEADLINE_MS } from '../cloud/cloud-auth.constants.js';
import { scrubbedLogin } from '../cloud/scrubbed-login.js';
import { withDeadline } from '../cloud/with-deadline.js';
import { loadAwsSdk, type AwsSdk } from './aws-sdk.js';
import { iamLoginBody, signCallerIdentity, type AwsCredentials } from './sts-caller-identity.js';

type AwsOptions = Extract<ResolvedCloudAuthOptions, { method: 'aws' }>;

/**
 * Vault's aws auth, IAM type: a signed sts:GetCallerIdentity request that Vault sends to STS to
 * learn who we are. Credentials come from the AWS default chain, resolved afresh at each login
 * (rotated keys, a renewed web identity token, new instance role credentials), within
 * `deadlineMs` (the chain's metadata and STS requests have no overall deadline of their own).
 */
export class AwsAuth implements AuthMethod {
  readonly name = 'aws';
  readonly canReauthenticate = true;
  readonly ownsToken = true;

  constructor(
    private readonly options: AwsOptions,
    private readonly deadlineMs = CLOUD_CREDENTIALS_DEADLINE_MS,
  ) {}

  async authenticate(client: VaultLoginClient): Promise<VaultAuthBlock> {
    const sdk = await loadAwsSdk();
    const credentials = await withDeadline(
      this.#credentials(sdk),
      this.deadlineMs,
      this.name,
      'AWS credentials from the default chain',
    );
    const signed = await signCallerIdentity(sdk, credentials, this.options);
    const body = iamLoginBody(this.options.role, signed);
    const signature = /Signature=([0-9a-f]+)/.exec(signed.headers.Authorization ?? '')?.[1] ?? '';
    return scrubbedLogin(client, this.options.mount, body, this.name, [
      credentials.accessKeyId,
      credentials.secretAccessKey,
      credentials.sessionToken ?? '',
      signature,
      body.iam_request_headers,
    ]);
  }

  async #credentials(sdk: AwsSdk): Promise<AwsCredentials> {
    try {
      // A new chain per login: the SDK would otherwise keep credentials (and files) it read before.
      const found = await sdk.fromNodeProviderChain({ ignoreCache: true })();
      return {
        accessKeyId: found.accessKeyId,
        secretAccessKey: found.secretAccessKey,
        ...(found.sessionToken ? { sessionToken: found.sessionToken } : {}),
      };
    } catch (error) {
      throw new VaultAuthError({
        method: this.name,
        reason:
          'no AWS credentials from the default chain (environment, shared config and credentials ' +
          `files, web identity token file, ECS container credentials, EC2 instance metadata): ` +
          errorName(error),
      });
    }
  }
}
