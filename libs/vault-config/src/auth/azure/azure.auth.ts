import type { VaultAuthBlock } from '../../interfaces/vault-envelope.interface.js';
import type { ResolvedCloudAuthOptions } from '../../options/resolved-cloud-auth-options.interface.js';
import type { AuthMethod, VaultLoginClient } from '../auth-method.interface.js';
import { CLOUD_CREDENTIALS_DEADLINE_MS } from '../cloud/cloud-auth.constants.js';
import { scrubbedLogin } from '../cloud/scrubbed-login.js';
import { withDeadline } from '../cloud/with-deadline.js';
import {
  azureInstance,
  managedIdentityToken,
  workloadIdentityFrom,
  workloadIdentityToken,
} from './azure-token-sources.js';

type AzureOptions = Extract<ResolvedCloudAuthOptions, { method: 'azure' }>;

/**
 * Vault's azure auth: POST auth/<mount>/login { role, jwt, ... } with an access token for
 * `resource`. With workload identity (AKS) the pod's federated token is exchanged for it; otherwise
 * the VM's managed identity gets it from the instance metadata service, and the login names the
 * VM's subscription, resource group and VM or scale set. Everything is fetched anew at each login,
 * within `deadlineMs` in all (each request also has its own deadline).
 */
export class AzureAuth implements AuthMethod {
  readonly name = 'azure';
  readonly canReauthenticate = true;
  readonly ownsToken = true;

  constructor(
    private readonly options: AzureOptions,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly deadlineMs = CLOUD_CREDENTIALS_DEADLINE_MS,
  ) {}

  async authenticate(client: VaultLoginClient): Promise<VaultAuthBlock> {
    const what = 'the Azure access token (and instance metadata)';
    const body = await withDeadline(this.#loginBody(), this.deadlineMs, this.name, what);
    const jwt = body.jwt ?? '';
    return scrubbedLogin(client, this.options.mount, body, this.name, [
      jwt,
      jwt.split('.')[2] ?? '',
    ]);
  }

  async #loginBody(): Promise<Record<string, string>> {
    const { role, resource, imdsEndpoint } = this.options;
    const workload = workloadIdentityFrom(this.env);
    let body: Record<string, string>;
    if (workload) {
      body = { role, jwt: await workloadIdentityToken(workload, resource) };
    } else {
      const clientId = this.env.AZURE_CLIENT_ID?.trim() || undefined;
      const [jwt, instance] = await Promise.all([
        managedIdentityToken(imdsEndpoint, resource, clientId),
        azureInstance(imdsEndpoint),
      ]);
      body = { role, jwt, ...instance };
    }
    return body;
  }
}
