import { Inject, Injectable } from '@nestjs/common';
import type { VaultResponse } from '../interfaces/vault-transport.interface.js';
import { VAULT_SECRETS_RUNTIME } from '../nest/vault-config.constants.js';
import type { VaultSecretsRuntime } from '../runtime/vault-secrets-runtime.js';
import { INSPECT } from '../utils/inspect.js';
import { vaultErrorStrings } from '../utils/safe-text.js';
import type {
  TransitBatchResult,
  TransitCiphertextItem,
  TransitContextOptions,
  TransitData,
  TransitHmacOptions,
  TransitPlaintextItem,
  TransitSignOptions,
} from './interfaces/transit-options.interface.js';
import { ciphertextBatch, plaintextBatch, type BatchInput } from './transit-batch-input.js';
import { ciphertextArgument, contextBase64, toBase64 } from './transit-encoding.js';
import { transitFailure } from './transit-failure.js';
import {
  base64Field,
  booleanField,
  hasBatchResults,
  readBatch,
  readSingle,
  versionedField,
  type FieldReader,
} from './transit-response.js';
import { normaliseMount, transitTarget, type TransitTarget } from './transit-target.js';
import { DEFAULT_TRANSIT_MOUNT } from './transit.constants.js';

/** Vault's complaints about the signature or HMAC given to `verify`: it does not verify. */
const NOT_A_VALID_SIGNATURE =
  /invalid signature|supplied signature|invalid base64 signature value|signature version is disallowed|invalid HMAC|cannot verify HMAC|verification HMAC/;

type Body = Record<string, unknown>;

/**
 * Vault's transit engine (encryption as a service) on the `VaultConfigModule` connection: its token,
 * renewal and re-login. Add it to `providers`. Strings are sent as UTF-8, bytes as they are; Vault
 * keeps the keys. Errors are typed (`VaultTransitError` and its kinds, `VaultPermissionError` naming
 * the path, `VaultNotConnectedError` when the module has no Vault connection) and never contain a
 * plaintext, ciphertext, signature or key material. Nothing is logged.
 * @publicApi
 */
@Injectable()
export class TransitService {
  readonly #runtime: VaultSecretsRuntime;
  #mount = DEFAULT_TRANSIT_MOUNT;

  constructor(@Inject(VAULT_SECRETS_RUNTIME) runtime: VaultSecretsRuntime) {
    this.#runtime = runtime;
  }

  /** The same service on another transit mount, e.g. `withMount('kms/transit')`. */
  withMount(mount: string): TransitService {
    const other = new TransitService(this.#runtime);
    other.#mount = normaliseMount(mount);
    return other;
  }

  get mount(): string {
    return this.#mount;
  }

  /** Encrypts with the key's latest version: `vault:v<N>:…`. */
  async encrypt(
    key: string,
    plaintext: TransitData,
    opts: TransitContextOptions = {},
  ): Promise<string> {
    const target = transitTarget(this.#mount, 'encrypt', key);
    const body = {
      plaintext: toBase64(target, plaintext, 'plaintext'),
      ...this.#context(target, opts),
    };
    const res = await this.#send(target, body);
    return readSingle(res, target, 'ciphertext', versionedField('ciphertext'));
  }

  async decrypt(
    key: string,
    ciphertext: string,
    opts: TransitContextOptions = {},
  ): Promise<Buffer> {
    const target = transitTarget(this.#mount, 'decrypt', key);
    const body = {
      ciphertext: ciphertextArgument(target, ciphertext, 'ciphertext'),
      ...this.#context(target, opts),
    };
    const res = await this.#send(target, body);
    return readSingle(res, target, 'plaintext', base64Field('plaintext'));
  }

  /** Re-encrypts a ciphertext with the key's latest version, without the plaintext leaving Vault. */
  async rewrap(key: string, ciphertext: string, opts: TransitContextOptions = {}): Promise<string> {
    const target = transitTarget(this.#mount, 'rewrap', key);
    const body = {
      ciphertext: ciphertextArgument(target, ciphertext, 'ciphertext'),
      ...this.#context(target, opts),
    };
    const res = await this.#send(target, body);
    return readSingle(res, target, 'ciphertext', versionedField('ciphertext'));
  }

  /**
   * Encrypts every item in one `batch_input` request. Resolves with one result per item, in input
   * order — `{ ok: true, value }` or `{ ok: false, error: VaultTransitItemError }` — like
   * `Promise.allSettled`; rejects only when the whole request fails (403, missing key, Vault down).
   */
  async encryptMany(
    key: string,
    items: readonly (TransitData | TransitPlaintextItem)[],
    opts?: TransitContextOptions,
  ): Promise<TransitBatchResult<string>[]> {
    const target = transitTarget(this.#mount, 'encrypt', key);
    return await this.#batch(
      target,
      plaintextBatch(target, items, opts),
      'ciphertext',
      versionedField('ciphertext'),
    );
  }

  /** Decrypts every item in one request; results as `encryptMany`'s. */
  async decryptMany(
    key: string,
    items: readonly (string | TransitCiphertextItem)[],
    opts?: TransitContextOptions,
  ): Promise<TransitBatchResult<Buffer>[]> {
    const target = transitTarget(this.#mount, 'decrypt', key);
    return await this.#batch(
      target,
      ciphertextBatch(target, items, opts),
      'plaintext',
      base64Field('plaintext'),
    );
  }

  /** Rewraps every item in one request; results as `encryptMany`'s. */
  async rewrapMany(
    key: string,
    items: readonly (string | TransitCiphertextItem)[],
    opts?: TransitContextOptions,
  ): Promise<TransitBatchResult<string>[]> {
    const target = transitTarget(this.#mount, 'rewrap', key);
    return await this.#batch(
      target,
      ciphertextBatch(target, items, opts),
      'ciphertext',
      versionedField('ciphertext'),
    );
  }

  /** HMAC of `data` with the key's latest version: `vault:v<N>:…`. */
  async hmac(key: string, data: TransitData, opts: TransitHmacOptions = {}): Promise<string> {
    const target = transitTarget(this.#mount, 'hmac', key);
    const body = {
      input: toBase64(target, data, 'data'),
      ...(opts.algorithm ? { algorithm: opts.algorithm } : {}),
    };
    const res = await this.#send(target, body);
    return readSingle(res, target, 'hmac', versionedField('hmac'));
  }

  /** Signs `data` with a signing key (ed25519, ECDSA, RSA): `vault:v<N>:…`. */
  async sign(key: string, data: TransitData, opts: TransitSignOptions = {}): Promise<string> {
    const target = transitTarget(this.#mount, 'sign', key);
    const res = await this.#send(target, this.#signBody(target, data, opts));
    return readSingle(res, target, 'signature', versionedField('signature'));
  }

  /**
   * Whether `signature` is a valid signature of `data` by the key. False also when Vault cannot read
   * it as one of this key's signatures (altered, not `vault:v<N>:…`, a version the key does not
   * have or no longer accepts); rejects for everything else (missing key, 403, wrong key type).
   */
  async verify(
    key: string,
    data: TransitData,
    signature: string,
    opts: TransitSignOptions = {},
  ): Promise<boolean> {
    const target = transitTarget(this.#mount, 'verify', key);
    return await this.#verify(target, {
      ...this.#signBody(target, data, opts),
      signature: this.#claim(target, signature, 'signature'),
    });
  }

  /** Whether `hmac` is the key's HMAC of `data` (any version the key still accepts). */
  async verifyHmac(
    key: string,
    data: TransitData,
    hmac: string,
    opts: TransitHmacOptions = {},
  ): Promise<boolean> {
    const target = transitTarget(this.#mount, 'verify', key);
    return await this.#verify(target, {
      input: toBase64(target, data, 'data'),
      hmac: this.#claim(target, hmac, 'hmac'),
      ...(opts.algorithm ? { hash_algorithm: opts.algorithm } : {}),
    });
  }

  [INSPECT](): string {
    return `TransitService { mount: '${this.#mount}' }`;
  }

  toJSON(): Record<string, unknown> {
    return { mount: this.#mount };
  }

  #context(target: TransitTarget, opts: TransitContextOptions): Body {
    const context = contextBase64(target, opts.context);
    return context === undefined ? {} : { context };
  }

  #signBody(target: TransitTarget, data: TransitData, opts: TransitSignOptions): Body {
    return {
      input: toBase64(target, data, 'data'),
      ...this.#context(target, opts),
      ...(opts.hashAlgorithm ? { hash_algorithm: opts.hashAlgorithm } : {}),
      ...(opts.signatureAlgorithm ? { signature_algorithm: opts.signatureAlgorithm } : {}),
    };
  }

  /** A signature or HMAC to check: a string (an empty one cannot verify). */
  #claim(target: TransitTarget, value: unknown, field: string): string {
    if (value === '') return '';
    return ciphertextArgument(target, value, field);
  }

  async #verify(target: TransitTarget, body: Body): Promise<boolean> {
    if (body.signature === '' || body.hmac === '') return false;
    const res = await this.#runtime.request({ method: 'POST', path: target.path, body });
    if (res.status === 400 && NOT_A_VALID_SIGNATURE.test(vaultErrorStrings(res.body).join('\n'))) {
      return false;
    }
    if (res.status < 200 || res.status >= 300) throw transitFailure(res, target, secretsOf(body));
    return readSingle(res, target, 'valid', booleanField('valid'));
  }

  async #send(target: TransitTarget, body: Body): Promise<VaultResponse> {
    const res = await this.#runtime.request({ method: 'POST', path: target.path, body });
    if (res.status >= 200 && res.status < 300) return res;
    throw transitFailure(res, target, secretsOf(body));
  }

  async #batch<T>(
    target: TransitTarget,
    input: BatchInput,
    field: string,
    read: FieldReader<T>,
  ): Promise<TransitBatchResult<T>[]> {
    if (input.items.length === 0) return [];
    const res = await this.#runtime.request({
      method: 'POST',
      path: target.path,
      body: { batch_input: input.items },
    });
    const answered = res.status >= 200 && res.status < 300;
    // encrypt and decrypt answer 400 (500) with every result when an item failed.
    if (!answered && !((res.status === 400 || res.status === 500) && hasBatchResults(res))) {
      throw transitFailure(res, target, input.secrets);
    }
    return readBatch(res, target, input.items.length, field, read, input.secrets);
  }
}

/** The request's values (base64 data, ciphertexts, signatures): never in an error. */
function secretsOf(body: Body): string[] {
  return Object.values(body).filter((v): v is string => typeof v === 'string');
}
