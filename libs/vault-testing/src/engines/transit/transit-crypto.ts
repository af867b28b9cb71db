import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPublicKey,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  sign as nodeSign,
  timingSafeEqual,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import {
  ed25519FromSeed,
  TransitItemError,
  type KeyVersion,
  type TransitKey,
} from './transit-key.js';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** `nonce ‖ ciphertext ‖ tag` (AEAD) or RSA-OAEP-SHA256, as Vault's keysutil lays them out. */
export function encryptBytes(
  key: TransitKey,
  version: KeyVersion,
  plaintext: Buffer,
  context: Buffer | undefined,
): Buffer {
  if (!key.type.encryption) {
    throw new TransitItemError(`message encryption not supported for key type ${key.typeName}`);
  }
  if (key.type.kind === 'rsa') {
    return publicEncrypt(oaep(createPublicKey(version.privateKey as KeyObject)), plaintext);
  }
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(
    key.type.cipher as 'aes-256-gcm',
    key.keyFor(version, context),
    nonce,
    { authTagLength: TAG_BYTES },
  );
  return Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

export function decryptBytes(
  key: TransitKey,
  version: KeyVersion,
  body: Buffer,
  context: Buffer | undefined,
): Buffer {
  if (!key.type.encryption) {
    throw new TransitItemError(`message decryption not supported for key type ${key.typeName}`);
  }
  if (key.type.kind === 'rsa') {
    try {
      return privateDecrypt(oaep(version.privateKey as KeyObject), body);
    } catch {
      throw new TransitItemError(
        'failed to RSA decrypt the ciphertext: crypto/rsa: decryption error',
      );
    }
  }
  const secret = key.keyFor(version, context);
  if (body.length < NONCE_BYTES) throw new TransitItemError('invalid ciphertext length');
  const failed =
    key.type.cipher === 'chacha20-poly1305'
      ? 'chacha20poly1305: message authentication failed'
      : 'cipher: message authentication failed';
  if (body.length < NONCE_BYTES + TAG_BYTES) throw new TransitItemError(failed);
  const decipher = createDecipheriv(
    key.type.cipher as 'aes-256-gcm',
    secret,
    body.subarray(0, NONCE_BYTES),
    { authTagLength: TAG_BYTES },
  );
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(body.subarray(NONCE_BYTES, body.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new TransitItemError(failed);
  }
}

const oaep = (key: KeyObject) => ({
  key,
  padding: constants.RSA_PKCS1_OAEP_PADDING,
  oaepHash: 'sha256',
});

export function hmacBytes(version: KeyVersion, digest: string, input: Buffer): Buffer {
  return createHmac(digest, version.hmacKey).update(input).digest();
}

export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface SignParams {
  readonly digest: string;
  /** RSA: `pss` (Vault's default) or `pkcs1v15`. */
  readonly rsaScheme: 'pss' | 'pkcs1v15';
  readonly context: Buffer | undefined;
}

/** The signing key of `version` (derived ed25519 keys: from HKDF of the context). */
export function signingKey(key: TransitKey, version: KeyVersion, context?: Buffer): KeyObject {
  if (key.type.kind === 'ed25519' && key.derived) {
    return ed25519FromSeed(key.keyFor(version, context));
  }
  return version.privateKey as KeyObject;
}

export function signBytes(key: TransitKey, version: KeyVersion, input: Buffer, p: SignParams) {
  const privateKey = signingKey(key, version, p.context);
  if (key.type.kind === 'ed25519') return nodeSign(null, input, privateKey);
  if (key.type.kind === 'ecdsa') {
    return nodeSign(p.digest, input, { key: privateKey, dsaEncoding: 'der' });
  }
  return nodeSign(p.digest, input, rsaOptions(privateKey, p.rsaScheme, true));
}

/** Whether `signature` is valid; throws for an ECDSA signature that is not DER, as Vault refuses it. */
export function verifyBytes(
  key: TransitKey,
  version: KeyVersion,
  input: Buffer,
  signature: Buffer,
  p: SignParams,
): boolean {
  const publicKey = createPublicKey(signingKey(key, version, p.context));
  if (key.type.kind === 'ed25519') {
    return signature.length === 64 && nodeVerify(null, input, publicKey, signature);
  }
  if (key.type.kind === 'ecdsa') {
    checkDerSignature(signature);
    return nodeVerify(p.digest, input, { key: publicKey, dsaEncoding: 'der' }, signature);
  }
  try {
    return nodeVerify(p.digest, input, rsaOptions(publicKey, p.rsaScheme, false), signature);
  } catch {
    return false;
  }
}

function rsaOptions(key: KeyObject, scheme: SignParams['rsaScheme'], signing: boolean) {
  if (scheme === 'pkcs1v15') return { key, padding: constants.RSA_PKCS1_PADDING };
  return {
    key,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    // Go's rsa.PSSSaltLengthAuto: the longest salt when signing, any salt when verifying.
    saltLength: signing ? constants.RSA_PSS_SALTLEN_MAX_SIGN : constants.RSA_PSS_SALTLEN_AUTO,
  };
}

/** `SEQUENCE { INTEGER r, INTEGER s }` and nothing after it, as Go's asn1.Unmarshal demands. */
function checkDerSignature(sig: Buffer): void {
  const invalid = () => new TransitItemError('supplied signature is invalid');
  const readLength = (at: number): [number, number] => {
    const first = sig[at];
    if (first === undefined) throw invalid();
    if (first < 0x80) return [first, at + 1];
    const count = first & 0x7f;
    if (count === 0 || count > 2 || at + 1 + count > sig.length) throw invalid();
    let length = 0;
    for (let i = 0; i < count; i++) length = (length << 8) | sig[at + 1 + i];
    return [length, at + 1 + count];
  };
  if (sig[0] !== 0x30) throw invalid();
  const [seqLength, seqStart] = readLength(1);
  if (seqStart + seqLength > sig.length) throw invalid();
  let at = seqStart;
  for (let i = 0; i < 2; i++) {
    if (sig[at] !== 0x02) throw invalid();
    const [intLength, intStart] = readLength(at + 1);
    if (intLength === 0 || intStart + intLength > seqStart + seqLength) throw invalid();
    at = intStart + intLength;
  }
  if (at !== seqStart + seqLength) throw invalid();
  if (seqStart + seqLength !== sig.length) {
    throw new TransitItemError('supplied signature contains extra data');
  }
}
