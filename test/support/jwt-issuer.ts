/** A JWT issuer for the jwt-auth suites: key pairs made with node:crypto, JWTs signed here. */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export interface JwtIssuer {
  readonly issuer: string;
  /** PEM of the public key, for `jwt_validation_pubkeys`. */
  readonly publicKeyPem: string;
  /** A compact JWS with `iat`/`exp` (5 minutes) filled in; `null` removes a claim. */
  sign(claims: Record<string, unknown>): string;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function makeJwtIssuer(alg: 'RS256' | 'ES256', issuer = 'https://issuer.test'): JwtIssuer {
  const { publicKey, privateKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    issuer,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: claims => signJwt(alg, privateKey, { iss: issuer, ...claims }),
  };
}

function signJwt(alg: string, key: KeyObject, claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = { iat: now, exp: now + 300, ...claims };
  for (const [k, v] of Object.entries(payload)) if (v === null) delete payload[k];
  const input = `${b64({ alg, typ: 'JWT' })}.${b64(payload)}`;
  const signature =
    alg === 'RS256'
      ? sign('sha256', Buffer.from(input), key)
      : sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}
