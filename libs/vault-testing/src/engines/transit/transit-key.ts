import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { safeRecord, type SafeRecord } from '../../util/safe-object.js';
import type { TransitKeyType } from './transit-key-types.js';

export const MISSING_CONTEXT =
  "missing 'context' for key derivation; the key was created using a derived key, which means " +
  'additional, per-request information must be included in order to perform operations with the key';

/** A request Vault refuses for this item (`internal`: Vault answers 500, not 400). */
export class TransitItemError extends Error {
  constructor(
    message: string,
    readonly internal = false,
  ) {
    super(message);
    this.name = 'TransitItemError';
  }
}

/** One version of a key: its material never leaves the engine (key info shows public keys only). */
export interface KeyVersion {
  readonly createdMs: number;
  /** AEAD key; for derived keys the input of HKDF-SHA256 (also ed25519's seed source). */
  readonly secret: Buffer;
  readonly hmacKey: Buffer;
  readonly privateKey?: KeyObject;
}

export interface KeySettings {
  readonly derived: boolean;
  readonly exportable: boolean;
  readonly allowPlaintextBackup: boolean;
}

// PKCS#8 wrapping of a raw 32-byte ed25519 seed (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function ed25519FromSeed(seed: Buffer): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
}

/** A named transit key ("policy" in Vault's code): versions, limits, settings. */
export class TransitKey {
  readonly #versions = new Map<number, KeyVersion>();
  latest = 0;
  minDecryption = 1;
  minEncryption = 0;
  deletionAllowed = false;

  constructor(
    readonly name: string,
    readonly typeName: string,
    readonly type: TransitKeyType,
    readonly settings: KeySettings,
    private readonly now: () => number,
  ) {
    this.rotate();
  }

  get derived(): boolean {
    return this.settings.derived;
  }

  rotate(): void {
    const secret = randomBytes(this.type.keyBytes ?? 32);
    let privateKey: KeyObject | undefined;
    if (this.type.kind === 'ed25519' && !this.derived) privateKey = ed25519FromSeed(secret);
    if (this.type.kind === 'ecdsa') {
      privateKey = generateKeyPairSync('ec', { namedCurve: this.type.curve as string }).privateKey;
    }
    if (this.type.kind === 'rsa') {
      privateKey = generateKeyPairSync('rsa', {
        modulusLength: this.type.rsaBits as number,
      }).privateKey;
    }
    this.latest += 1;
    this.#versions.set(this.latest, {
      createdMs: this.now(),
      secret,
      hmacKey: randomBytes(32),
      ...(privateKey ? { privateKey } : {}),
    });
  }

  /** The version's material; versions below `min_decryption_version` are archived (unusable). */
  version(n: number): KeyVersion | undefined {
    return n >= this.minDecryption ? this.#versions.get(n) : undefined;
  }

  /** The version new ciphertexts and signatures use. */
  get current(): KeyVersion {
    return this.#versions.get(this.latest) as KeyVersion;
  }

  /** The AEAD key (or ed25519 seed) of `version`, derived with `context` for derived keys. */
  keyFor(version: KeyVersion, context: Buffer | undefined): Buffer {
    if (!this.derived) return version.secret;
    if (!context || context.length === 0) throw new TransitItemError(MISSING_CONTEXT);
    const length = this.type.keyBytes ?? 32;
    return Buffer.from(hkdfSync('sha256', version.secret, Buffer.alloc(0), context, length));
  }

  /** `GET transit/keys/<name>`: what Vault shows, never private material. */
  info(): SafeRecord {
    const data = safeRecord();
    Object.assign(data, {
      allow_plaintext_backup: this.settings.allowPlaintextBackup,
      auto_rotate_period: 0,
      deletion_allowed: this.deletionAllowed,
      derived: this.derived,
      exportable: this.settings.exportable,
      imported_key: false,
      keys: this.#keysInfo(),
      latest_version: this.latest,
      min_available_version: 0,
      min_decryption_version: this.minDecryption,
      min_encryption_version: this.minEncryption,
      name: this.name,
      supports_decryption: this.type.encryption,
      supports_derivation: this.type.derivation,
      supports_encryption: this.type.encryption,
      supports_signing: this.type.signing,
      type: this.typeName,
    });
    if (this.derived) {
      data.convergent_encryption = false;
      data.kdf = 'hkdf_sha256';
    }
    return data;
  }

  #keysInfo(): SafeRecord {
    const keys = safeRecord();
    for (const [n, v] of this.#versions) {
      if (n < this.minDecryption) continue;
      if (this.type.kind === 'aead') {
        keys[String(n)] = Math.floor(v.createdMs / 1000);
        continue;
      }
      keys[String(n)] = {
        certificate_chain: '',
        creation_time: new Date(v.createdMs).toISOString(),
        name: this.type.curveName ?? this.typeName,
        public_key: v.privateKey ? publicKeyText(this.type, v.privateKey) : '',
      };
    }
    return keys;
  }
}

/** ed25519: the raw 32 bytes in base64; ECDSA and RSA: SPKI PEM, as Vault shows them. */
export function publicKeyText(type: TransitKeyType, privateKey: KeyObject): string {
  const pub = createPublicKey(privateKey);
  if (type.kind === 'ed25519') {
    return (pub.export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32).toString('base64');
  }
  return pub.export({ format: 'pem', type: 'spki' }) as string;
}
