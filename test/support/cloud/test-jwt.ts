/** RS256 keys and JWTs for the cloud stand-ins (the keys that Google, Entra ID and an OIDC issuer sign with). */
import {
  createPrivateKey,
  createPublicKey,
  createSign,
  createVerify,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function newSigningKey(kid = randomBytes(8).toString('hex')): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

/** A signing key from a PEM private key (the Google service account fixture). */
export function signingKeyFromPem(pem: string, kid: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  return { kid, privateKey, publicKey: createPublicKey(privateKey) };
}

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export function signJwt(key: SigningKey, claims: Record<string, unknown>): string {
  const input = `${b64url({ alg: 'RS256', kid: key.kid, typ: 'JWT' })}.${b64url(claims)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key.privateKey);
  return `${input}.${signature.toString('base64url')}`;
}

/** The claims of a JWT signed by `key`, or undefined when the signature or shape is wrong. */
export function verifiedClaims(key: SigningKey, jwt: string): Record<string, unknown> | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3) return undefined;
  const ok = createVerify('RSA-SHA256')
    .update(`${parts[0]}.${parts[1]}`)
    .verify(key.publicKey, Buffer.from(parts[2], 'base64url'));
  if (!ok) return undefined;
  try {
    return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    return undefined;
  }
}

export function jwks(...keys: SigningKey[]): { keys: Record<string, unknown>[] } {
  return {
    keys: keys.map(k => ({
      ...(k.publicKey.export({ format: 'jwk' }) as Record<string, unknown>),
      kid: k.kid,
      use: 'sig',
      alg: 'RS256',
    })),
  };
}

export const nowS = () => Math.floor(Date.now() / 1000);
