import { VaultHttpError } from '../../http/vault-http.error.js';
import type { VaultResult } from '../../http/vault-result.interface.js';
import { safeRecord, type SafeRecord } from '../../util/safe-object.js';
import { answer, attempt, base64Field, readItems, textField } from './transit-batch.js';
import {
  hmacBytes,
  sameBytes,
  signBytes,
  signingKey,
  verifyBytes,
  type SignParams,
} from './transit-crypto.js';
import { HASH_ALGORITHMS } from './transit-key-types.js';
import {
  MISSING_CONTEXT,
  publicKeyText,
  TransitItemError,
  type TransitKey,
} from './transit-key.js';
import { parseVersioned } from './versioned-value.js';

const INPUT_PREFIX = 'unable to decode input as base64: ';

const stringField = (body: SafeRecord, name: string): string | undefined =>
  typeof body[name] === 'string' && body[name] !== '' ? body[name] : undefined;

/** `POST transit/hmac/<name>[/<algorithm>]`: `vault:v<N>:` + base64 HMAC of `input`. */
export function hmac(
  body: SafeRecord,
  key: TransitKey | undefined,
  urlAlgorithm?: string,
): VaultResult {
  const items = readItems(body);
  if (!key) throw VaultHttpError.badRequest('encryption key not found');
  const digest = HASH_ALGORITHMS.get(urlAlgorithm ?? stringField(body, 'algorithm') ?? 'sha2-256');
  // OpenBao prints the zero value of its hash type here ('\x00'), whatever the name was.
  if (!digest) throw VaultHttpError.badRequest("unsupported algorithm '\\x00'");
  const outcomes = items.items.map((_, i) =>
    attempt(() => {
      const text = textField(items, i, 'input');
      if (text === undefined) throw new TransitItemError('missing input for HMAC');
      const input = base64Field(text, INPUT_PREFIX) ?? Buffer.alloc(0);
      const data = safeRecord();
      const mac = hmacBytes(key.current, digest, input).toString('base64');
      data.hmac = `vault:v${key.latest}:${mac}`;
      return data;
    }),
  );
  return answer(items, outcomes, safeRecord(), false);
}

/** `POST transit/sign/<name>[/<hash>]`: `vault:v<N>:` + base64 signature. */
export function sign(
  body: SafeRecord,
  key: TransitKey | undefined,
  urlAlgorithm?: string,
): VaultResult {
  const items = readItems(body);
  const params = signParams(body, urlAlgorithm);
  if (!key) throw VaultHttpError.badRequest('signing key not found');
  if (!key.type.signing) {
    throw VaultHttpError.badRequest(`key type ${key.typeName} does not support signing`);
  }
  const outcomes = items.items.map((_, i) =>
    attempt(() => {
      const input = base64Field(textField(items, i, 'input'), INPUT_PREFIX) ?? Buffer.alloc(0);
      const context = base64Field(textField(items, i, 'context'));
      const version = key.current;
      if (key.derived && !context?.length) {
        throw new TransitItemError(`error deriving key: ${MISSING_CONTEXT}`, true);
      }
      const signature = signBytes(key, version, input, { ...params, context });
      const data = safeRecord();
      data.key_version = key.latest;
      data.signature = `vault:v${key.latest}:${signature.toString('base64')}`;
      if (key.derived) data.public_key = publicKeyText(key.type, signingKey(key, version, context));
      return data;
    }),
  );
  const failed = safeRecord();
  failed.key_version = 0;
  return answer(items, outcomes, failed, false);
}

/** `POST transit/verify/<name>[/<hash>]`: `signature` (signing keys) or `hmac` (any key). */
export function verify(
  body: SafeRecord,
  key: TransitKey | undefined,
  urlAlgorithm?: string,
): VaultResult {
  const items = readItems(body);
  const params = signParams(body, urlAlgorithm);
  if (!key) throw VaultHttpError.badRequest('signature verification key not found');
  if (!items.batch && body.signature === undefined && body.hmac === undefined) {
    throw VaultHttpError.badRequest("neither a 'signature' nor an 'hmac' were given to verify");
  }
  const limits = { latest: key.latest, minDecryption: key.minDecryption };
  const outcomes = items.items.map((_, i) =>
    attempt(() => {
      const input = base64Field(textField(items, i, 'input'), INPUT_PREFIX) ?? Buffer.alloc(0);
      const signature = textField(items, i, 'signature');
      const data = safeRecord();
      if (signature !== undefined) {
        if (!key.type.signing) {
          throw new TransitItemError(`key type ${key.typeName} does not support verification`);
        }
        const parsed = parseVersioned(signature, 'signature', limits);
        if ('error' in parsed) throw new TransitItemError(parsed.error);
        const version = key.version(parsed.version);
        const context = base64Field(textField(items, i, 'context'));
        if (key.derived && !context?.length) throw new TransitItemError(MISSING_CONTEXT);
        data.valid =
          version !== undefined &&
          verifyBytes(key, version, input, parsed.bytes, { ...params, context });
        return data;
      }
      const mac = textField(items, i, 'hmac');
      if (mac === undefined) {
        throw new TransitItemError("neither a 'signature' nor an 'hmac' were given to verify");
      }
      const parsed = parseVersioned(mac, 'hmac', limits);
      if ('error' in parsed) throw new TransitItemError(parsed.error);
      const version = key.version(parsed.version);
      data.valid =
        version !== undefined && sameBytes(hmacBytes(version, params.digest, input), parsed.bytes);
      return data;
    }),
  );
  const failed = safeRecord();
  failed.valid = false;
  return answer(items, outcomes, failed, false);
}

/** `hash_algorithm` (`algorithm` is its older name) and RSA's `signature_algorithm`, request-wide. */
function signParams(
  body: SafeRecord,
  urlAlgorithm: string | undefined,
): Omit<SignParams, 'context'> {
  const name =
    urlAlgorithm ??
    stringField(body, 'hash_algorithm') ??
    stringField(body, 'algorithm') ??
    'sha2-256';
  const digest = HASH_ALGORITHMS.get(name);
  if (!digest) throw VaultHttpError.badRequest(`invalid hash algorithm "${name}"`);
  const scheme = stringField(body, 'signature_algorithm') ?? 'pss';
  if (scheme !== 'pss' && scheme !== 'pkcs1v15') {
    throw VaultHttpError.badRequest(`unsupported rsa signature algorithm ${scheme}`);
  }
  return { digest, rsaScheme: scheme };
}
