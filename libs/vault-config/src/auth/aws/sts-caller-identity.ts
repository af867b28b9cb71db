import type { AwsSdk } from './aws-sdk.js';

/** The credentials a signature is made with (a session token for temporary ones). */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A signed sts:GetCallerIdentity request that Vault forwards to STS. */
export interface SignedCallerIdentity {
  url: string;
  body: string;
  /** Header names as Go's http.Header writes them (Vault reads them that way). */
  headers: Record<string, string>;
}

export const GET_CALLER_IDENTITY_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
export const IAM_SERVER_ID_HEADER = 'X-Vault-AWS-IAM-Server-ID';

/** The STS host the request is signed for: global (us-east-1) or regional. */
export function stsHost(region: string | undefined): string {
  if (region === undefined) return 'sts.amazonaws.com';
  return region.startsWith('cn-')
    ? `sts.${region}.amazonaws.com.cn`
    : `sts.${region}.amazonaws.com`;
}

/** `x-amz-date` → `X-Amz-Date`, as textproto.CanonicalMIMEHeaderKey does. */
export function canonicalHeaderName(name: string): string {
  return name
    .split('-')
    .map(part => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
    .join('-');
}

/**
 * Signs sts:GetCallerIdentity with SigV4 for the global or the regional endpoint. The server-ID
 * header, when given, is one of the signed headers, so a token for one Vault cannot be replayed at
 * another.
 */
export async function signCallerIdentity(
  sdk: Pick<AwsSdk, 'SignatureV4' | 'Sha256'>,
  credentials: AwsCredentials,
  options: { region?: string; iamServerIdHeader?: string },
  signingDate = new Date(),
): Promise<SignedCallerIdentity> {
  const hostname = stsHost(options.region);
  const signer = new sdk.SignatureV4({
    credentials,
    region: options.region ?? 'us-east-1',
    service: 'sts',
    sha256: sdk.Sha256,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'https:',
      hostname,
      path: '/',
      headers: {
        host: hostname,
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        ...(options.iamServerIdHeader !== undefined
          ? { [IAM_SERVER_ID_HEADER.toLowerCase()]: options.iamServerIdHeader }
          : {}),
      },
      body: GET_CALLER_IDENTITY_BODY,
    },
    { signingDate },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) {
    // Vault takes the host from iam_request_url, as the Vault CLI sends it.
    if (name.toLowerCase() !== 'host') headers[canonicalHeaderName(name)] = value;
  }
  return { url: `https://${hostname}/`, body: GET_CALLER_IDENTITY_BODY, headers };
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/**
 * The body of POST auth/<mount>/login for an iam role: the request base64-encoded as Vault's
 * aws plugin documents it (the headers as base64 of a JSON map of lists, like Go's http.Header).
 */
export function iamLoginBody(role: string, signed: SignedCallerIdentity): Record<string, string> {
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k, [v]]));
  return {
    role,
    iam_http_request_method: 'POST',
    iam_request_url: b64(signed.url),
    iam_request_body: b64(signed.body),
    iam_request_headers: b64(JSON.stringify(headers)),
  };
}
