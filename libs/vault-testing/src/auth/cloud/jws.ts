import { createPublicKey, createVerify, X509Certificate, type KeyObject } from 'node:crypto';
import { isPlainObject, toSafe, type SafeRecord } from '../../util/safe-object.js';

/** A compact JWS split into its parts; claims are untrusted until `verifyRs256`. */
export interface CompactJws {
  header: SafeRecord;
  claims: SafeRecord;
  signingInput: string;
  signature: Buffer;
}

const part = (text: string): SafeRecord | undefined => {
  try {
    const value = toSafe(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
};

/** Splits a compact JWS; undefined when it is not one. */
export function parseJws(token: string): CompactJws | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const header = part(parts[0]);
  const claims = part(parts[1]);
  if (!header || !claims) return undefined;
  return {
    header,
    claims,
    signingInput: `${parts[0]}.${parts[1]}`,
    signature: Buffer.from(parts[2], 'base64url'),
  };
}

/** Checks an RS256 signature with the given public key. */
export function verifyRs256(jws: CompactJws, key: KeyObject): boolean {
  if (jws.header.alg !== 'RS256') return false;
  return createVerify('RSA-SHA256').update(jws.signingInput).verify(key, jws.signature);
}

/** The RSA key of a JWKS entry with `kid`, if any. */
export function keyFromJwks(jwks: unknown, kid: unknown): KeyObject | undefined {
  const keys: unknown[] = isPlainObject(jwks) && Array.isArray(jwks.keys) ? jwks.keys : [];
  const jwk = keys.find(k => isPlainObject(k) && k.kid === kid && k.kty === 'RSA');
  if (!isPlainObject(jwk)) return undefined;
  try {
    return createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e } as never, format: 'jwk' });
  } catch {
    return undefined;
  }
}

/** The public key of a PEM certificate (Google's service account keys come as X.509). */
export function keyFromCertificate(pem: string): KeyObject | undefined {
  try {
    return new X509Certificate(pem).publicKey;
  } catch {
    return undefined;
  }
}

/** A numeric date claim in milliseconds, undefined when absent or not a number. */
export const claimMs = (claims: SafeRecord, name: string): number | undefined => {
  const value = claims[name];
  return typeof value === 'number' ? value * 1000 : undefined;
};
