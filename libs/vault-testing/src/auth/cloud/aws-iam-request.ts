import { VaultHttpError } from '../../http/vault-http.error.js';
import { isPlainObject, type SafeRecord } from '../../util/safe-object.js';

/** The sts:GetCallerIdentity request a client signed, decoded from the login body. */
export interface IamRequest {
  url: URL;
  body: string;
  /** Canonical header names (Go's http.Header) to their values. */
  headers: Map<string, string[]>;
}

const bad = (message: string) => VaultHttpError.badRequest(message);
const IAM_FIELDS = [
  'iam_http_request_method',
  'iam_request_url',
  'iam_request_body',
  'iam_request_headers',
];
const EC2_FIELDS = ['pkcs7', 'identity', 'signature'];

/** Go's base64.StdEncoding.DecodeString: strict, padded. */
function base64(text: string): string | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) {
    return undefined;
  }
  return Buffer.from(text, 'base64').toString('utf8');
}

/** textproto.CanonicalMIMEHeaderKey. */
export const canonicalKey = (k: string) =>
  k
    .split('-')
    .map(p => p.charAt(0).toUpperCase() + p.slice(1).toLowerCase())
    .join('-');

/**
 * framework.TypeHeader: a JSON object of strings or lists, or that object as JSON text, or as
 * base64 of the JSON text. Keys are canonicalised as http.Header.Add does.
 */
export function parseHeaderField(value: unknown): Map<string, string[]> | undefined {
  let v = value;
  if (typeof v === 'string') {
    const text = base64(v) ?? v;
    try {
      v = JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  if (!isPlainObject(v)) return undefined;
  const out = new Map<string, string[]>();
  for (const [k, raw] of Object.entries(v)) {
    const list = Array.isArray(raw) ? raw : [raw];
    const values = list.filter((x): x is string => typeof x === 'string');
    if (values.length !== list.length) return undefined;
    const key = canonicalKey(k);
    out.set(key, [...(out.get(key) ?? []), ...values]);
  }
  return out;
}

/** Decodes the iam login fields with the checks (and messages) of Vault's aws plugin. */
export function decodeIamRequest(body: SafeRecord): IamRequest {
  const anyIam = IAM_FIELDS.some(k => body[k] !== undefined);
  const allIam = IAM_FIELDS.every(k => body[k] !== undefined);
  if (EC2_FIELDS.some(k => body[k] !== undefined)) {
    if (anyIam) throw bad('supplied auth values for both ec2 and iam auth types');
    throw bad('the ec2 auth type is not served by the test server (iam only)');
  }
  if (!anyIam) throw bad("didn't supply required authentication values");
  if (!allIam) throw bad('supplied some of the auth values for the iam auth type but not all');
  const text = (k: string) => (typeof body[k] === 'string' ? body[k] : '');
  const method = text('iam_http_request_method');
  if (!method) throw bad('missing iam_http_request_method');
  if (method !== 'POST') {
    throw bad("invalid iam_http_request_method; currently only 'POST' is supported");
  }
  if (!text('iam_request_url')) throw bad('missing iam_request_url');
  const rawUrl = base64(text('iam_request_url'));
  if (rawUrl === undefined) throw bad('failed to base64 decode iam_request_url');
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw bad('error parsing iam_request_url');
  }
  if (url.search !== '') throw bad('invalid request');
  if (!text('iam_request_body')) throw bad('missing iam_request_body');
  const requestBody = base64(text('iam_request_body'));
  if (requestBody === undefined) throw bad('failed to base64 decode iam_request_body');
  const params = new URLSearchParams(requestBody);
  for (const [k, v] of params) {
    if (!(k === 'Version' || (k === 'Action' && v === 'GetCallerIdentity'))) {
      throw bad('invalid request');
    }
  }
  if (params.getAll('Action').length !== 1) throw bad('invalid request');
  const headers = parseHeaderField(body.iam_request_headers);
  if (headers === undefined) {
    throw bad(
      'error converting input for field "iam_request_headers": expected a JSON object or its base64 encoding',
    );
  }
  if (!headers.size) throw bad('missing iam_request_headers');
  return { url, body: requestBody, headers };
}

export const IAM_SERVER_ID_HEADER = 'X-Vault-AWS-IAM-Server-ID';

/** validateVaultHeaderValue: the header carries the configured value and is signed. */
export function checkServerIdHeader(request: IamRequest, required: string): void {
  const wrap = (m: string) => bad(`error validating ${IAM_SERVER_ID_HEADER} header: ${m}`);
  const provided = (request.headers.get(canonicalKey(IAM_SERVER_ID_HEADER)) ?? []).join(',');
  if (!provided) throw wrap(`missing header "${IAM_SERVER_ID_HEADER}"`);
  if (provided !== required) throw wrap(`expected "${required}" but got "${provided}"`);
  const authz = request.headers.get('Authorization');
  if (!authz) throw wrap('missing Authorization header');
  const signed = /SignedHeaders=([^,]+)/.exec(authz.join(','))?.[1];
  if (!signed?.split(';').includes(IAM_SERVER_ID_HEADER.toLowerCase())) {
    throw wrap("vault header wasn't signed");
  }
}
