import type { KeyObject } from 'node:crypto';
import { isPlainObject } from '../../util/safe-object.js';
import { keyFromCertificate, keyFromJwks } from './jws.js';
import { outboundJson } from './outbound-http.js';

/** `custom_endpoint` of the gcp config: where Vault's plugin reaches Google's APIs. */
export interface GoogleEndpoints {
  api?: string;
  iam?: string;
}

export interface ServiceAccount {
  email: string;
  uniqueId: string;
  projectId: string;
}

const trim = (u: string) => u.replace(/\/+$/, '');

/**
 * The key that signed a JWT, found as the gcp plugin finds it: first Google's OAuth2 keys (OpenID
 * discovery of accounts.google.com, or of `custom_endpoint.api`), then, for iam roles, the
 * service account's own X.509 keys.
 */
export async function googleSigningKey(
  endpoints: GoogleEndpoints,
  kid: unknown,
  subject: string,
  serviceAccountKeys: boolean,
): Promise<KeyObject> {
  const issuer = trim(endpoints.api ?? 'https://accounts.google.com');
  try {
    const discovery = await outboundJson(`${issuer}/.well-known/openid-configuration`);
    const jwksUri = isPlainObject(discovery) ? discovery.jwks_uri : undefined;
    if (typeof jwksUri === 'string') {
      const key = keyFromJwks(await outboundJson(jwksUri), kid);
      if (key) return key;
    }
  } catch {
    // Vault falls through to the service account's keys.
  }
  if (!serviceAccountKeys) {
    throw new Error(
      `unable to get public key "${String(kid)}" for JWT subject "${subject}": no Google OAuth2 provider key found for GCE role`,
    );
  }
  const api = trim(endpoints.api ?? 'https://www.googleapis.com');
  const url = `${api}/service_accounts/v1/metadata/x509/${encodeURIComponent(subject)}?alt=json`;
  const certs = await outboundJson(url);
  const pem = isPlainObject(certs) && typeof kid === 'string' ? certs[kid] : undefined;
  const key = typeof pem === 'string' ? keyFromCertificate(pem) : undefined;
  if (!key) {
    throw new Error(`service account "${String(kid)}" key "${subject}" not found at GET "${url}"`);
  }
  return key;
}

/** IAM `projects.serviceAccounts.get` by email or unique id. */
export async function serviceAccount(
  endpoints: GoogleEndpoints,
  emailOrId: string,
): Promise<ServiceAccount> {
  const base = trim(endpoints.iam ?? 'https://iam.googleapis.com');
  const sa = await outboundJson(
    `${base}/v1/projects/-/serviceAccounts/${encodeURIComponent(emailOrId)}`,
  );
  if (!isPlainObject(sa) || typeof sa.email !== 'string') {
    throw new Error(`service account ${emailOrId} not found`);
  }
  return {
    email: sa.email,
    uniqueId: typeof sa.uniqueId === 'string' ? sa.uniqueId : '',
    projectId: typeof sa.projectId === 'string' ? sa.projectId : '',
  };
}
