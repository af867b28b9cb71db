import { decodeGoBase64 } from './go-base64.js';

/** Vault's message when a version is below `min_decryption_version` (keysutil.ErrTooOld). */
export const ERR_TOO_OLD = 'ciphertext or signature version is disallowed by policy (too old)';

/** A Vault `vault:v<N>:<base64>` value (ciphertext, signature or HMAC), or Vault's complaint. */
export type Versioned = { version: number; bytes: Buffer } | { error: string };

interface VersionLimits {
  latest: number;
  minDecryption: number;
}

type Kind = 'ciphertext' | 'signature' | 'hmac';

const MESSAGES: Record<Kind, Record<'prefix' | 'fields' | 'number' | 'new' | 'old', string>> = {
  ciphertext: {
    prefix: 'invalid ciphertext: no prefix',
    fields: 'invalid ciphertext: wrong number of fields',
    number: 'invalid ciphertext: version number could not be decoded',
    new: 'invalid ciphertext: version is too new',
    old: ERR_TOO_OLD,
  },
  signature: {
    prefix: 'invalid signature: no prefix',
    fields: 'invalid signature: wrong number of fields',
    number: 'invalid signature: version number could not be decoded',
    new: 'invalid signature: version is too new',
    old: ERR_TOO_OLD,
  },
  hmac: {
    prefix: 'invalid HMAC to verify: no prefix',
    fields: 'invalid HMAC: wrong number of fields',
    number: 'invalid HMAC: version number could not be decoded',
    new: 'invalid HMAC: version is too new',
    old: 'cannot verify HMAC: version is too old (disallowed by policy)',
  },
};

/** Parses `value` in the order Vault checks it (keysutil.Policy.Decrypt / VerifySignature / path_hmac). */
export function parseVersioned(value: string, kind: Kind, limits: VersionLimits): Versioned {
  const m = MESSAGES[kind];
  if (!value.startsWith('vault:v')) return { error: m.prefix };
  const rest = value.slice('vault:v'.length);
  const colon = rest.indexOf(':');
  if (colon === -1) return { error: m.fields };
  const digits = rest.slice(0, colon);
  // strconv.Atoi: an optional sign, then decimal digits.
  if (!/^[+-]?\d{1,18}$/.test(digits)) return { error: m.number };
  let version = Number(digits);
  if (version === 0) version = 1; // keys numbered from 0 before Vault 0.3
  let bytes: Buffer | undefined;
  if (kind === 'hmac') {
    // path_hmac decodes before it compares versions.
    bytes = decode(rest.slice(colon + 1));
    if (!bytes) return { error: hmacBase64Error(rest.slice(colon + 1)) };
  }
  if (version > limits.latest) return { error: m.new };
  if (limits.minDecryption > 0 && version < limits.minDecryption) return { error: m.old };
  bytes ??= decode(rest.slice(colon + 1));
  if (!bytes) {
    return {
      error:
        kind === 'ciphertext'
          ? 'invalid ciphertext: could not decode base64'
          : 'invalid base64 signature value',
    };
  }
  return { version, bytes };
}

function decode(text: string): Buffer | undefined {
  try {
    return decodeGoBase64(text);
  } catch {
    return undefined;
  }
}

function hmacBase64Error(text: string): string {
  try {
    decodeGoBase64(text);
    return '';
  } catch (error) {
    return `unable to decode verification HMAC as base64: ${(error as Error).message}`;
  }
}
