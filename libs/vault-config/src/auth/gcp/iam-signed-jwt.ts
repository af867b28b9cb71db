import { VaultAuthError } from '../../errors/vault-auth.error.js';
import { GCP_IAM_JWT_LIFETIME_S } from '../cloud/cloud-auth.constants.js';
import { googleErrorDetail, type GoogleAuthSdk } from './gcp-sdk.js';

const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** What the iam login signs: Vault's gcp plugin checks `aud` and a short `exp`. */
export function iamJwtClaims(email: string, role: string, nowMs = Date.now()) {
  return {
    sub: email,
    aud: `vault/${role}`,
    exp: Math.floor(nowMs / 1000) + GCP_IAM_JWT_LIFETIME_S,
  };
}

/** The IAM Credentials signJwt URL for a service account (email or unique id). */
export function signJwtUrl(endpoint: string, serviceAccount: string): string {
  return `${endpoint}/v1/projects/-/serviceAccounts/${encodeURIComponent(serviceAccount)}:signJwt`;
}

/**
 * A JWT for the service account, signed by Google (IAM Credentials `signJwt`) with the application
 * default credentials, which need `iam.serviceAccounts.signJwt` on that account.
 */
export async function iamSignedJwt(
  sdk: GoogleAuthSdk,
  options: { role: string; serviceAccountEmail?: string; iamCredentialsEndpoint?: string },
): Promise<string> {
  const fail = (reason: string) => new VaultAuthError({ method: 'gcp', reason });
  // signJwt names the account under `projects/-`: no project id is needed, and without one the
  // library looks it up, even by running `gcloud` (seconds on an image that has the Cloud SDK).
  const auth = new sdk.GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE], projectId: '-' });
  let email = options.serviceAccountEmail;
  let endpoint = options.iamCredentialsEndpoint;
  let client: Awaited<ReturnType<typeof auth.getClient>>;
  try {
    client = await auth.getClient();
    email ??= (await auth.getCredentials()).client_email;
    endpoint ??= `https://iamcredentials.${await auth.getUniverseDomain()}`;
  } catch (error) {
    throw fail(`no Google application default credentials: ${googleErrorDetail(error)}`);
  }
  if (!email) {
    throw fail(
      'the application default credentials name no service account: set auth.serviceAccountEmail',
    );
  }
  const url = signJwtUrl(endpoint, email);
  let signed: unknown;
  try {
    const res = await client.request<{ signedJwt?: unknown }>({
      url,
      method: 'POST',
      data: { payload: JSON.stringify(iamJwtClaims(email, options.role)) },
    });
    signed = res.data.signedJwt;
  } catch (error) {
    throw fail(`signJwt for ${email} failed at ${endpoint}: ${googleErrorDetail(error)}`);
  }
  if (typeof signed !== 'string' || signed.split('.').length !== 3) {
    throw fail(`signJwt for ${email} answered no signed JWT`);
  }
  return signed;
}
