import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { VaultHttpError } from '../../http/vault-http.error.js';
import { isPlainObject, type SafeRecord } from '../../util/safe-object.js';

/** The algorithms Vault's JWT method accepts in `jwt_supported_algs`. */
export const SUPPORTED_ALGS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

const NO_KEY = 'no known key successfully validated the token signature';
const invalid = (reason: string) =>
  VaultHttpError.badRequest(`error validating token: error verifying token signature: ${reason}`);

/** A JWT whose signature one of the keys verified: its header and claims. */
export interface VerifiedJwt {
  alg: string;
  claims: SafeRecord;
}

/** Parses `jwt_validation_pubkeys` PEMs; Vault's error when one is not a public key. */
export function parsePublicKeys(pems: string[]): KeyObject[] {
  return pems.map(pem => {
    try {
      const key = createPublicKey(pem);
      if (key.type !== 'public') throw new Error('not public');
      return key;
    } catch {
      throw VaultHttpError.badRequest(
        'error parsing public key: data does not contain any valid public keys',
      );
    }
  });
}

/** Checks a compact JWS against the keys, as go-jose does: three parts, a known alg, a signature. */
export function verifySignature(jwt: string, keys: readonly KeyObject[]): VerifiedJwt {
  const parts = jwt.split('.');
  if (parts.length !== 3)
    throw invalid('go-jose/go-jose: compact JWS format must have three parts');
  const header = decodeJson(parts[0]);
  const claims = decodeJson(parts[1]);
  if (!header || !claims) throw invalid('go-jose/go-jose: error in cryptographic primitive');
  const alg = typeof header.alg === 'string' ? header.alg : '';
  if (!(SUPPORTED_ALGS as readonly string[]).includes(alg)) throw invalid(NO_KEY);
  const input = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2], 'base64url');
  if (!keys.some(key => verifies(alg, input, signature, key))) throw invalid(NO_KEY);
  return { alg, claims };
}

function verifies(alg: string, input: Buffer, signature: Buffer, key: KeyObject): boolean {
  const bits = alg.slice(2);
  const hash = alg === 'EdDSA' ? null : `sha${bits}`;
  const kind = key.asymmetricKeyType;
  try {
    if (alg.startsWith('RS') && kind === 'rsa') return verify(hash, input, key, signature);
    if (alg.startsWith('PS') && (kind === 'rsa' || kind === 'rsa-pss')) {
      return verify(
        hash,
        input,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(bits) / 8 },
        signature,
      );
    }
    if (alg.startsWith('ES') && kind === 'ec') {
      return verify(hash, input, { key, dsaEncoding: 'ieee-p1363' }, signature);
    }
    if (alg === 'EdDSA' && (kind === 'ed25519' || kind === 'ed448')) {
      return verify(null, input, key, signature);
    }
  } catch {
    return false;
  }
  return false;
}

function decodeJson(part: string): SafeRecord | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
