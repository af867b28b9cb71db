import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { VaultHttpError } from '../../http/vault-http.error.js';

const generate = promisify(generateKeyPair);

export type PkiKeyType = 'rsa' | 'ec' | 'ed25519';

export interface PkiKeyPair {
  type: PkiKeyType;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

const EC_CURVES: Readonly<Record<number, string>> = {
  224: 'P-224',
  256: 'P-256',
  384: 'P-384',
  521: 'P-521',
};

/** Vault's `key_bits` default per type (0 means "the default"). */
export function defaultKeyBits(type: PkiKeyType): number {
  return type === 'rsa' ? 2048 : type === 'ec' ? 256 : 0;
}

/** `key_type` and `key_bits` as Vault checks them; answers the bits to use. */
export function checkKeyParameters(
  type: unknown,
  bits: number,
): { type: PkiKeyType | 'any'; bits: number } {
  if (type === 'any') return { type, bits: 0 };
  if (type !== 'rsa' && type !== 'ec' && type !== 'ed25519') {
    throw VaultHttpError.badRequest(`unknown key type ${String(type)}`);
  }
  const effective = bits || defaultKeyBits(type);
  if (type === 'rsa' && ![2048, 3072, 4096, 8192].includes(effective)) {
    throw VaultHttpError.badRequest(
      effective < 2048
        ? `RSA keys < 2048 bits are unsafe and not supported: got ${effective}`
        : `unsupported bit length for RSA key: ${effective}`,
    );
  }
  if (type === 'ec' && !EC_CURVES[effective]) {
    throw VaultHttpError.badRequest(`unsupported bit length for EC key: ${effective}`);
  }
  return { type, bits: type === 'ed25519' ? 0 : effective };
}

export async function generatePkiKey(type: PkiKeyType, bits: number): Promise<PkiKeyPair> {
  if (type === 'rsa') return { type, ...(await generate('rsa', { modulusLength: bits })) };
  if (type === 'ec') return { type, ...(await generate('ec', { namedCurve: EC_CURVES[bits] })) };
  return { type, ...(await generate('ed25519')) };
}

/**
 * The private key as Vault answers it: `der` (the default) means PKCS#1 for RSA and SEC 1 for EC
 * (`RSA PRIVATE KEY`, `EC PRIVATE KEY`), PKCS#8 for Ed25519; `pkcs8` always PKCS#8.
 */
export function privateKeyPem(pair: PkiKeyPair, format: 'der' | 'pkcs8'): string {
  const type =
    format === 'pkcs8' || pair.type === 'ed25519'
      ? 'pkcs8'
      : pair.type === 'rsa'
        ? 'pkcs1'
        : 'sec1';
  return (pair.privateKey.export({ type, format: 'pem' }) as string).trim();
}
