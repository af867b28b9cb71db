import type { VaultTransitItemError } from '../errors/vault-transit-item.error.js';

/** Data for Vault: a string is sent as its UTF-8 bytes; bytes as they are. */
export type TransitData = string | Uint8Array;

export interface TransitContextOptions {
  /**
   * Key derivation context, required by keys created with `derived: true` (each context gets its own
   * key, e.g. one per row or tenant); decrypting needs the same context as encrypting.
   */
  context?: TransitData;
}

export interface TransitPlaintextItem extends TransitContextOptions {
  plaintext: TransitData;
}

export interface TransitCiphertextItem extends TransitContextOptions {
  ciphertext: string;
}

/** One result of a batch, in input order: like `Promise.allSettled`, per item. */
export type TransitBatchResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: VaultTransitItemError };

export type TransitHashAlgorithm =
  | 'sha2-224'
  | 'sha2-256'
  | 'sha2-384'
  | 'sha2-512'
  | 'sha3-224'
  | 'sha3-256'
  | 'sha3-384'
  | 'sha3-512';

export interface TransitHmacOptions {
  /** Default `sha2-256`. */
  algorithm?: TransitHashAlgorithm;
}

export interface TransitSignOptions extends TransitContextOptions {
  /** Hash of the input for ECDSA and RSA keys (ed25519 ignores it). Default `sha2-256`. */
  hashAlgorithm?: TransitHashAlgorithm;
  /** RSA keys only. Default `pss`. */
  signatureAlgorithm?: 'pss' | 'pkcs1v15';
}
