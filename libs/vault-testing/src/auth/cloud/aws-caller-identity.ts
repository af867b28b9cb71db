import { VaultHttpError } from '../../http/vault-http.error.js';
import { outbound } from './outbound-http.js';
import type { IamRequest } from './aws-iam-request.js';

export interface CallerIdentity {
  arn: string;
  userId: string;
  account: string;
}

/** An IAM entity as parseIamArn reads an ARN. */
export interface IamEntity {
  partition: string;
  account: string;
  type: string;
  friendlyName: string;
  sessionInfo: string;
}

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

const element = (xml: string, name: string) =>
  new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

/**
 * Sends the client's signed request to STS as Vault does: to the configured endpoint, with the
 * Host of the signed URL and the client's headers, and reads GetCallerIdentity's XML answer.
 */
export async function submitCallerIdentity(
  endpoint: string,
  request: IamRequest,
): Promise<CallerIdentity> {
  const headers: Record<string, string> = {};
  for (const [k, v] of request.headers) if (k !== 'Host') headers[k] = v.join(',');
  let res;
  try {
    res = await outbound(`${endpoint.replace(/\/+$/, '')}${request.url.pathname}`, {
      method: 'POST',
      headers,
      body: request.body,
      host: request.url.host,
    });
  } catch (error) {
    throw VaultHttpError.badRequest(
      `error making upstream request: error making request: ${(error as Error).message}`,
    );
  }
  if (res.status !== 200) {
    throw VaultHttpError.badRequest(
      `error making upstream request: received error code ${res.status} from STS: ${res.text}`,
    );
  }
  const result =
    /<GetCallerIdentityResponse[\s>][\s\S]*<GetCallerIdentityResult>([\s\S]*?)<\/GetCallerIdentityResult>/.exec(
      res.text,
    )?.[1];
  const arn = result && element(result, 'Arn');
  if (!result || !arn) {
    throw VaultHttpError.badRequest('error making upstream request: error parsing STS response');
  }
  return {
    arn: unescapeXml(arn),
    userId: unescapeXml(element(result, 'UserId') ?? ''),
    account: unescapeXml(element(result, 'Account') ?? ''),
  };
}

/** parseIamArn: user, role or assumed-role ARNs of IAM or STS. */
export function parseIamArn(arn: string): IamEntity {
  const fail = (m: string) =>
    VaultHttpError.badRequest(`error parsing arn "${arn.slice(0, 200)}": ${m}`);
  const full = arn.split(':');
  if (full.length !== 6) {
    throw fail(`unrecognized arn: contains ${full.length} colon-separated parts, expected 6`);
  }
  if (full[0] !== 'arn') throw fail('unrecognized arn: does not begin with "arn:"');
  if (full[2] !== 'iam' && full[2] !== 'sts') {
    throw fail(`unrecognized service: ${full[2]}, not one of iam or sts`);
  }
  const parts = full[5].split('/');
  if (parts.length < 2) {
    throw fail(`unrecognized arn: "${full[5]}" contains fewer than 2 slash-separated parts`);
  }
  const type = parts[0];
  if (!['assumed-role', 'user', 'role', 'instance-profile'].includes(type)) {
    throw fail(`unrecognized principal type: "${type}"`);
  }
  const assumed = type === 'assumed-role';
  return {
    partition: full[1],
    account: full[4],
    type,
    friendlyName: assumed ? parts[1] : parts[parts.length - 1],
    sessionInfo: assumed ? (parts[2] ?? '') : '',
  };
}

/** Vault's canonical ARN: an assumed role is its role, without the path. */
export function canonicalArn(e: IamEntity): string {
  const type = e.type === 'assumed-role' ? 'role' : e.type;
  return `arn:${e.partition}:iam::${e.account}:${type}/${e.friendlyName}`;
}
