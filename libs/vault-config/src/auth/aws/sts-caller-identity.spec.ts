import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  canonicalHeaderName,
  iamLoginBody,
  signCallerIdentity,
  stsHost,
} from './sts-caller-identity.js';

const sdk = { SignatureV4, Sha256 };
const credentials = {
  accessKeyId: 'ASIAEXAMPLEKEY123456',
  secretAccessKey: 'example-secret-access-key',
  sessionToken: 'example-session-token',
};
const DATE = new Date('2024-01-02T03:04:05Z');

/** Decodes standard, padded base64 (Go's base64.StdEncoding, as Vault decodes), failing otherwise. */
const unb64 = (s: string) => {
  expect(s).toMatch(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  return Buffer.from(s, 'base64').toString('utf8');
};
const hmac = (key: Buffer | string, data: string) =>
  createHmac('sha256', key).update(data).digest();
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

/** SigV4 as AWS documents it, written out here so the test does not trust the SDK it checks. */
function expectedSignature(
  headers: Record<string, string>,
  host: string,
  region: string,
  body: string,
): string {
  const all: Record<string, string> = { host };
  for (const [k, v] of Object.entries(headers)) if (k !== 'Authorization') all[k.toLowerCase()] = v;
  const names = Object.keys(all).sort();
  const canonical = [
    'POST',
    '/',
    '',
    ...names.map(n => `${n}:${all[n].trim()}`),
    '',
    names.join(';'),
    sha256(body),
  ].join('\n');
  const scope = `20240102/${region}/sts/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', '20240102T030405Z', scope, sha256(canonical)].join('\n');
  let key: Buffer = hmac(`AWS4${credentials.secretAccessKey}`, '20240102');
  for (const part of [region, 'sts', 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(toSign).digest('hex');
}

describe('the signed sts:GetCallerIdentity request of the aws login', () => {
  it('is the login body Vault documents: method, and url, body, headers base64-encoded', async () => {
    const signed = await signCallerIdentity(
      sdk,
      credentials,
      { iamServerIdHeader: 'vault.example.com' },
      DATE,
    );
    const body = iamLoginBody('billing', signed);
    expect(Object.keys(body).sort()).toEqual([
      'iam_http_request_method',
      'iam_request_body',
      'iam_request_headers',
      'iam_request_url',
      'role',
    ]);
    expect(body.role).toBe('billing');
    expect(body.iam_http_request_method).toBe('POST');
    expect(unb64(body.iam_request_url)).toBe('https://sts.amazonaws.com/');
    expect(unb64(body.iam_request_body)).toBe('Action=GetCallerIdentity&Version=2011-06-15');
    const headers = JSON.parse(unb64(body.iam_request_headers)) as Record<string, string[]>;
    // Go's http.Header: canonical names, a list per name; the host comes from the URL.
    expect(Object.keys(headers).sort()).toEqual([
      'Authorization',
      'Content-Type',
      'X-Amz-Content-Sha256',
      'X-Amz-Date',
      'X-Amz-Security-Token',
      'X-Vault-Aws-Iam-Server-Id',
    ]);
    expect(headers['X-Vault-Aws-Iam-Server-Id']).toEqual(['vault.example.com']);
    expect(headers['X-Amz-Security-Token']).toEqual([credentials.sessionToken]);
    expect(headers['X-Amz-Date']).toEqual(['20240102T030405Z']);
    expect(headers.Authorization[0]).toMatch(
      new RegExp(
        '^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEKEY123456/20240102/us-east-1/sts/aws4_request, ' +
          'SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;' +
          'x-vault-aws-iam-server-id, Signature=[0-9a-f]{64}$',
      ),
    );
  });

  it('carries a SigV4 signature over the host, the body and the server-ID header', async () => {
    const signed = await signCallerIdentity(
      sdk,
      credentials,
      { iamServerIdHeader: 'vault.example.com' },
      DATE,
    );
    const signature = /Signature=([0-9a-f]{64})$/.exec(signed.headers.Authorization)?.[1];
    expect(signature).toBe(
      expectedSignature(signed.headers, 'sts.amazonaws.com', 'us-east-1', signed.body),
    );
  });

  it('signs for the regional endpoint and region when one is given; no server-ID header unless set', async () => {
    const signed = await signCallerIdentity(
      sdk,
      { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: credentials.secretAccessKey },
      { region: 'eu-west-1' },
      DATE,
    );
    expect(signed.url).toBe('https://sts.eu-west-1.amazonaws.com/');
    expect(signed.headers.Authorization).toContain('/20240102/eu-west-1/sts/aws4_request');
    expect(signed.headers.Authorization).toContain(
      'SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,',
    );
    expect(Object.keys(signed.headers)).not.toContain('X-Amz-Security-Token');
    expect(Object.keys(signed.headers)).not.toContain('X-Vault-Aws-Iam-Server-Id');
    const signature = /Signature=([0-9a-f]{64})$/.exec(signed.headers.Authorization)?.[1];
    expect(signature).toBe(
      expectedSignature(signed.headers, 'sts.eu-west-1.amazonaws.com', 'eu-west-1', signed.body),
    );
  });

  it('knows the STS hosts and writes header names as Go does', () => {
    expect(stsHost(undefined)).toBe('sts.amazonaws.com');
    expect(stsHost('us-gov-west-1')).toBe('sts.us-gov-west-1.amazonaws.com');
    expect(stsHost('cn-north-1')).toBe('sts.cn-north-1.amazonaws.com.cn');
    expect(canonicalHeaderName('x-vault-aws-iam-server-id')).toBe('X-Vault-Aws-Iam-Server-Id');
    expect(canonicalHeaderName('CONTENT-TYPE')).toBe('Content-Type');
  });
});
