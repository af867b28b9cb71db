/** What a transit key type does, as Vault's keysutil describes it. */
export interface TransitKeyType {
  readonly kind: 'aead' | 'ed25519' | 'ecdsa' | 'rsa';
  /** AEAD: node:crypto's cipher name and the key size in bytes. */
  readonly cipher?: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';
  readonly keyBytes?: number;
  /** ECDSA: node:crypto's curve and the name Vault shows in `keys.<n>.name`. */
  readonly curve?: string;
  readonly curveName?: string;
  readonly rsaBits?: number;
  readonly derivation: boolean;
  readonly encryption: boolean;
  readonly signing: boolean;
}

const aead = (cipher: TransitKeyType['cipher'], keyBytes: number): TransitKeyType => ({
  kind: 'aead',
  cipher,
  keyBytes,
  derivation: true,
  encryption: true,
  signing: false,
});
const ecdsa = (curve: string, curveName: string): TransitKeyType => ({
  kind: 'ecdsa',
  curve,
  curveName,
  derivation: false,
  encryption: false,
  signing: true,
});
const rsa = (rsaBits: number): TransitKeyType => ({
  kind: 'rsa',
  rsaBits,
  derivation: false,
  encryption: true,
  signing: true,
});

export const TRANSIT_KEY_TYPES: ReadonlyMap<string, TransitKeyType> = new Map([
  ['aes128-gcm96', aead('aes-128-gcm', 16)],
  ['aes256-gcm96', aead('aes-256-gcm', 32)],
  ['chacha20-poly1305', aead('chacha20-poly1305', 32)],
  ['ed25519', { kind: 'ed25519', derivation: true, encryption: false, signing: true }],
  ['ecdsa-p256', ecdsa('prime256v1', 'P-256')],
  ['ecdsa-p384', ecdsa('secp384r1', 'P-384')],
  ['ecdsa-p521', ecdsa('secp521r1', 'P-521')],
  ['rsa-2048', rsa(2048)],
  ['rsa-3072', rsa(3072)],
  ['rsa-4096', rsa(4096)],
]);

/** Key types `encrypt` may create on first use (upsert). */
export const UPSERT_TYPES = new Set(['aes128-gcm96', 'aes256-gcm96', 'chacha20-poly1305']);

/** `hmac` `algorithm` / `sign` `hash_algorithm` names → node:crypto digests. */
export const HASH_ALGORITHMS: ReadonlyMap<string, string> = new Map([
  ['sha1', 'sha1'],
  ['sha2-224', 'sha224'],
  ['sha2-256', 'sha256'],
  ['sha2-384', 'sha384'],
  ['sha2-512', 'sha512'],
  ['sha3-224', 'sha3-224'],
  ['sha3-256', 'sha3-256'],
  ['sha3-384', 'sha3-384'],
  ['sha3-512', 'sha3-512'],
]);
