import { readCredentialFile } from '../read-credential-file.js';
import { safeText } from '../../utils/safe-text.js';
import { VaultAuthError } from '../../errors/vault-auth.error.js';
import { cloudJson } from '../cloud/cloud-http.js';

const METHOD = 'azure';
const IMDS_TOKEN_API = '2018-02-01';
const IMDS_INSTANCE_API = '2021-02-01';
const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Workload identity as AKS injects it into a pod. */
export interface WorkloadIdentity {
  tokenFile: string;
  clientId: string;
  tenantId: string;
  authorityHost: string;
}

/** The VM or scale set the managed identity belongs to, as Vault's azure login wants it. */
export interface AzureInstance {
  subscription_id: string;
  resource_group_name: string;
  vm_name?: string;
  vmss_name?: string;
}

const env = (e: NodeJS.ProcessEnv, name: string) => e[name]?.trim() || undefined;

/**
 * Workload identity when AZURE_FEDERATED_TOKEN_FILE is set (it then needs AZURE_CLIENT_ID and
 * AZURE_TENANT_ID); undefined for a managed identity.
 */
export function workloadIdentityFrom(e: NodeJS.ProcessEnv): WorkloadIdentity | undefined {
  const tokenFile = env(e, 'AZURE_FEDERATED_TOKEN_FILE');
  if (!tokenFile) return undefined;
  const clientId = env(e, 'AZURE_CLIENT_ID');
  const tenantId = env(e, 'AZURE_TENANT_ID');
  const missing = [!clientId && 'AZURE_CLIENT_ID', !tenantId && 'AZURE_TENANT_ID'].filter(Boolean);
  if (missing.length || !clientId || !tenantId) {
    throw new VaultAuthError({
      method: METHOD,
      reason: `AZURE_FEDERATED_TOKEN_FILE is set but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not (workload identity needs all three)`,
    });
  }
  const authorityHost = (env(e, 'AZURE_AUTHORITY_HOST') ?? DEFAULT_AUTHORITY_HOST).replace(
    /\/+$/,
    '',
  );
  return { tokenFile, clientId, tenantId, authorityHost };
}

/** OAuth's and Entra ID's error fields, without anything else of the body. */
const oauthError = (body: unknown): string | undefined => {
  const b = (body ?? {}) as { error?: unknown; error_description?: unknown };
  const code = typeof b.error === 'string' ? safeText(b.error, 64) : undefined;
  const description =
    typeof b.error_description === 'string' ? safeText(b.error_description, 160) : undefined;
  return [code, description].filter(Boolean).join(': ') || undefined;
};

function accessToken(body: Record<string, unknown>, what: string): string {
  const token = body.access_token;
  if (typeof token !== 'string' || token.split('.').length !== 3) {
    throw new VaultAuthError({
      method: METHOD,
      reason: `${what} answered no access token (a JWT)`,
    });
  }
  return token;
}

/** Exchanges the federated token file (re-read each time: kubelet rotates it) for an access token. */
export async function workloadIdentityToken(
  wi: WorkloadIdentity,
  resource: string,
): Promise<string> {
  const assertion = await readCredentialFile(wi.tokenFile, METHOD, 'federated token');
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: wi.clientId,
    scope: `${resource.replace(/\/+$/, '')}/.default`,
    client_assertion_type: JWT_BEARER,
    client_assertion: assertion,
  });
  const url = `${wi.authorityHost}/${encodeURIComponent(wi.tenantId)}/oauth2/v2.0/token`;
  const what = 'the workload identity access token';
  const body = await cloudJson(
    METHOD,
    {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      what,
    },
    oauthError,
  );
  return accessToken(body, what);
}

/** The managed identity's access token from the instance metadata service. */
export async function managedIdentityToken(
  imds: string,
  resource: string,
  clientId: string | undefined,
): Promise<string> {
  const query = new URLSearchParams({ 'api-version': IMDS_TOKEN_API, resource });
  // A user-assigned identity is chosen by its client id, as the Azure SDKs do with AZURE_CLIENT_ID.
  if (clientId) query.set('client_id', clientId);
  const what = 'the managed identity access token';
  const body = await cloudJson(
    METHOD,
    {
      method: 'GET',
      url: `${imds}/metadata/identity/oauth2/token?${query.toString()}`,
      headers: { Metadata: 'true' },
      what,
    },
    oauthError,
  );
  return accessToken(body, what);
}

/** Subscription, resource group and VM or scale set name from the instance metadata service. */
export async function azureInstance(imds: string): Promise<AzureInstance> {
  const what = 'the instance metadata';
  const body = await cloudJson(
    METHOD,
    {
      method: 'GET',
      url: `${imds}/metadata/instance?api-version=${IMDS_INSTANCE_API}`,
      headers: { Metadata: 'true' },
      what,
    },
    oauthError,
  );
  const compute = (body.compute ?? {}) as Record<string, unknown>;
  const text = (key: string) =>
    typeof compute[key] === 'string' && compute[key] !== '' ? compute[key] : undefined;
  const subscription = text('subscriptionId');
  const group = text('resourceGroupName');
  const vmss = text('vmScaleSetName');
  const vm = text('name');
  if (!subscription || !group || (!vmss && !vm)) {
    throw new VaultAuthError({
      method: METHOD,
      reason: 'the instance metadata names no subscription, resource group and VM or scale set',
    });
  }
  return {
    subscription_id: subscription,
    resource_group_name: group,
    ...(vmss ? { vmss_name: vmss } : { vm_name: vm }),
  };
}
