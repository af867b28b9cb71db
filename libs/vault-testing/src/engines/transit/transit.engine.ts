import { toBool } from '../../auth/auth-params.js';
import { VaultHttpError } from '../../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../../http/vault-result.interface.js';
import type { SafeRecord } from '../../util/safe-object.js';
import { listChildren } from '../kv/kv-list.js';
import type { EngineHost } from '../engine-host.interface.js';
import type { EngineRequest, SecretEngine } from '../secret-engine.interface.js';
import { internalError } from './transit-batch.js';
import { decrypt, encrypt, rewrap } from './transit-encryption.js';
import { TRANSIT_KEY_TYPES, UPSERT_TYPES } from './transit-key-types.js';
import { TransitKey } from './transit-key.js';
import { hmac, sign, verify } from './transit-signing.js';

/** Vault's `framework.GenericNameRegex`: what a key name may be. */
const NAME = String.raw`\w(?:[\w.-]*\w)?`;
const KEY_PATH = new RegExp(`^keys/(${NAME})(?:/(rotate|config))?$`);
const OPERATION_PATH = new RegExp(
  `^(encrypt|decrypt|rewrap|hmac|sign|verify)/(${NAME})(?:/([\\w-]+))?$`,
);

/**
 * The `transit` secrets engine (encryption as a service) on node:crypto: named keys with versions,
 * rotation and `min_decryption_version`; encrypt, decrypt and rewrap (AES-GCM, ChaCha20-Poly1305,
 * RSA-OAEP), HMAC, sign and verify (ed25519, ECDSA, RSA-PSS/PKCS#1 v1.5), `batch_input` and
 * derived keys (HKDF-SHA256 of `context`). Ciphertexts have Vault's layout, so a ciphertext from
 * one server is refused by another one's key exactly as Vault refuses it.
 */
export class TransitEngine implements SecretEngine {
  readonly #keys = new Map<string, TransitKey>();

  constructor(private readonly host: EngineHost) {}

  /** `encrypt` on a missing key is a `create` (it creates the key); every other write an `update`. */
  exists(req: EngineRequest): boolean {
    const m = OPERATION_PATH.exec(req.path);
    return !(m && m[1] === 'encrypt' && !this.#keys.has(m[2]));
  }

  handle(req: EngineRequest): VaultResult {
    const path = req.path.replace(/\/$/, '');
    const write = req.operation === 'create' || req.operation === 'update';
    if (path === 'keys') {
      if (req.operation !== 'list') throw VaultHttpError.unsupportedOperation();
      return listChildren([...this.#keys.keys()].sort(), '');
    }
    const keyPath = KEY_PATH.exec(path);
    if (keyPath) return this.#keyRoute(req, keyPath[1], keyPath[2]);
    const op = OPERATION_PATH.exec(path);
    if (!op) throw VaultHttpError.unsupportedPath();
    if (!write) throw VaultHttpError.unsupportedOperation();
    const [, operation, name, suffix] = op as unknown as [string, string, string, string?];
    const key = this.#keys.get(name);
    if (operation === 'hmac') return hmac(req.body, key, suffix);
    if (operation === 'sign') return sign(req.body, key, suffix);
    if (operation === 'verify') return verify(req.body, key, suffix);
    if (suffix !== undefined) throw VaultHttpError.unsupportedPath();
    if (operation === 'decrypt') return decrypt(req.body, key);
    if (operation === 'rewrap') return rewrap(req.body, key);
    return encrypt(
      req.body,
      derived =>
        key ?? (req.operation === 'create' ? this.#upsert(name, req.body, derived) : undefined),
    );
  }

  #keyRoute(req: EngineRequest, name: string, action: string | undefined): VaultResult {
    const key = this.#keys.get(name);
    const write = req.operation === 'create' || req.operation === 'update';
    if (action === 'rotate') {
      if (!write) throw VaultHttpError.unsupportedOperation();
      if (!key) throw VaultHttpError.badRequest('key not found');
      key.rotate();
      return { data: key.info() };
    }
    if (action === 'config') {
      if (!write) throw VaultHttpError.unsupportedOperation();
      if (!key) throw VaultHttpError.badRequest(`no existing key named ${name} could be found`);
      return configure(key, req.body);
    }
    if (req.operation === 'read') {
      if (!key) throw VaultHttpError.notFound();
      return { data: key.info() };
    }
    if (req.operation === 'delete') {
      if (!key) {
        throw VaultHttpError.badRequest(
          `error deleting policy ${name}: could not delete key; not found`,
        );
      }
      if (!key.deletionAllowed) {
        throw VaultHttpError.badRequest(
          `error deleting policy ${name}: deletion is not allowed for this key`,
        );
      }
      this.#keys.delete(name);
      return NO_CONTENT;
    }
    if (!write) throw VaultHttpError.unsupportedOperation();
    return { data: (key ?? this.#create(name, req.body)).info() };
  }

  /** `POST transit/keys/<name>`: `type` (default aes256-gcm96), `derived`, `exportable`. */
  #create(name: string, body: SafeRecord): TransitKey {
    const typeName = typeof body.type === 'string' && body.type !== '' ? body.type : 'aes256-gcm96';
    const type = TRANSIT_KEY_TYPES.get(typeName);
    if (!type) throw VaultHttpError.badRequest(`unknown key type ${typeName}`);
    const derived = toBool(body.derived, 'derived');
    const convergent = toBool(body.convergent_encryption, 'convergent_encryption');
    if (convergent && !derived) {
      throw VaultHttpError.badRequest('convergent encryption requires derivation to be enabled');
    }
    if (convergent) {
      throw VaultHttpError.badRequest(
        'convergent encryption is not implemented by the test server',
      );
    }
    if (derived && !type.derivation) {
      throw internalError(
        `key derivation and convergent encryption not supported for keys of type ${typeName}`,
      );
    }
    const key = new TransitKey(
      name,
      typeName,
      type,
      {
        derived,
        exportable: toBool(body.exportable, 'exportable'),
        allowPlaintextBackup: toBool(body.allow_plaintext_backup, 'allow_plaintext_backup'),
      },
      () => this.host.clock.now(),
    );
    this.#keys.set(name, key);
    return key;
  }

  /** What `encrypt` creates on first use: derived when the request carries a context. */
  #upsert(name: string, body: SafeRecord, derived: boolean): TransitKey {
    const typeName = typeof body.type === 'string' && body.type !== '' ? body.type : 'aes256-gcm96';
    if (!UPSERT_TYPES.has(typeName))
      throw VaultHttpError.badRequest(`unknown key type ${typeName}`);
    return this.#create(name, { type: typeName, derived });
  }
}

/** `POST transit/keys/<name>/config`, validated in Vault's order. */
function configure(key: TransitKey, body: SafeRecord): VaultResult {
  const warnings: string[] = [];
  if (body.min_decryption_version !== undefined) {
    let min = integer(body.min_decryption_version, 'min_decryption_version');
    if (min < 0) throw VaultHttpError.badRequest('min decryption version cannot be negative');
    if (min === 0) {
      min = 1;
      warnings.push('since Vault 0.3, transit key numbering starts at 1; forcing minimum to 1');
    }
    if (min !== key.minDecryption && min > key.latest) {
      throw VaultHttpError.badRequest(
        `cannot set min decryption version of ${min}, latest key version is ${key.latest}`,
      );
    }
    key.minDecryption = min;
  }
  if (body.min_encryption_version !== undefined) {
    const min = integer(body.min_encryption_version, 'min_encryption_version');
    if (min < 0) throw VaultHttpError.badRequest('min encryption version cannot be negative');
    if (min !== key.minEncryption && min > key.latest) {
      throw VaultHttpError.badRequest(
        `cannot set min encryption version of ${min}, latest key version is ${key.latest}`,
      );
    }
    key.minEncryption = min;
  }
  if (key.minEncryption > 0 && key.minEncryption < key.minDecryption) {
    throw VaultHttpError.badRequest(
      `cannot set min encryption/decryption values; min encryption version of ${key.minEncryption} ` +
        `must be greater than or equal to min decryption version of ${key.minDecryption}`,
    );
  }
  if (body.deletion_allowed !== undefined) {
    key.deletionAllowed = toBool(body.deletion_allowed, 'deletion_allowed');
  }
  return { data: key.info(), ...(warnings.length ? { warnings } : {}) };
}

function integer(value: unknown, field: string): number {
  const n = typeof value === 'string' && /^[+-]?\d+$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n)) return n;
  throw VaultHttpError.badRequest(
    `Field validation failed: error converting input for field "${field}": '' cannot parse value as 'int': strconv.ParseInt: invalid syntax`,
  );
}
