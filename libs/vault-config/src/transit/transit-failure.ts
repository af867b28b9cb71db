import type { VaultConfigError } from '../errors/vault-config.error.js';
import { VaultPermissionError } from '../errors/vault-permission.error.js';
import { VaultResponseError } from '../errors/vault-response.error.js';
import type { VaultResponse } from '../interfaces/vault-transport.interface.js';
import { safeText, vaultErrorStrings } from '../utils/safe-text.js';
import { VaultTransitItemError } from './errors/vault-transit-item.error.js';
import { VaultTransitKeyNotFoundError } from './errors/vault-transit-key-not-found.error.js';
import { VaultTransitError, type VaultTransitErrorKind } from './errors/vault-transit.error.js';
import type { TransitTarget } from './transit-target.js';

// Vault's transit error strings (keysutil and the path handlers), most specific first.
const KINDS: [RegExp, Exclude<VaultTransitErrorKind, 'invalid-argument'>][] = [
  [/key not found|no existing key named/, 'key-not-found'],
  [/missing 'context'/, 'context-required'],
  [/too old|version is too new|disallowed by policy/, 'version-not-allowed'],
  [/not supported for key type|does not support/, 'unsupported-by-key'],
  [
    /message authentication failed|invalid ciphertext|could not decode base64|decryption error/,
    'invalid-ciphertext',
  ],
];

const REASONS: Record<Exclude<VaultTransitErrorKind, 'key-not-found'>, string> = {
  'invalid-ciphertext':
    'the ciphertext is not valid for this key: it was altered, was made by another key, or needs ' +
    'the context it was encrypted with',
  'version-not-allowed':
    "the key version it names is not usable: older than the key's min_decryption_version (rewrap " +
    'stored ciphertexts before raising it) or newer than its latest version',
  'context-required':
    'the key is a derived key: pass { context } (decrypt needs the same context as encrypt)',
  'unsupported-by-key': "the key's type does not support this operation",
  'not-mounted':
    'no transit engine answers at this mount: enable one (vault secrets enable transit) or use withMount()',
  'invalid-request': 'Vault refused the request',
  'invalid-argument': 'invalid argument',
};

/** Which kind of failure Vault's error strings describe. */
export function failureKind(
  errors: readonly string[],
): Exclude<VaultTransitErrorKind, 'invalid-argument'> {
  const text = errors.join('\n');
  return KINDS.find(([pattern]) => pattern.test(text))?.[1] ?? 'invalid-request';
}

/**
 * `text` without any part of the request's data (Vault's transit errors do not echo it today; this
 * keeps it so if one ever does). Done before anything shortens the text: a long plaintext cut at
 * 200 characters would no longer match, and its prefix would be shown.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  return secrets
    .filter(s => s.length >= 4)
    .reduce((out, s) => out.split(s).join('[REDACTED]'), text);
}

/** The error for a transit answer that is not a success. */
export function transitFailure(
  res: VaultResponse,
  target: TransitTarget,
  secrets: readonly string[],
): VaultConfigError {
  const vaultErrors = vaultErrorStrings(res.body, secrets);
  if (res.status === 403) {
    const capability = target.operation === 'encrypt' ? 'create/update' : 'update';
    return new VaultPermissionError({ paths: [target.path], capability, vaultErrors });
  }
  const base = { operation: target.operation, key: target.key, mount: target.mount };
  if (res.status === 404 && /no handler for route|unsupported path/.test(vaultErrors.join(' '))) {
    return new VaultTransitError({
      ...base,
      kind: 'not-mounted',
      reason: REASONS['not-mounted'],
      status: 404,
      vaultErrors,
    });
  }
  if ((res.status === 400 || res.status === 500) && vaultErrors.length) {
    const kind = failureKind(vaultErrors);
    if (kind === 'key-not-found') {
      return new VaultTransitKeyNotFoundError({ ...base, status: res.status, vaultErrors });
    }
    return new VaultTransitError({
      ...base,
      kind,
      reason: REASONS[kind],
      status: res.status,
      vaultErrors,
    });
  }
  return new VaultResponseError({
    path: target.path,
    status: res.status,
    reason: `status ${res.status}`,
    vaultErrors,
  });
}

/** One batch item's `error` string as a typed error. */
export function itemFailure(
  error: string,
  index: number,
  target: TransitTarget,
  secrets: readonly string[],
): VaultTransitItemError {
  const vaultErrors = [safeText(scrub(error, secrets))];
  const kind = failureKind(vaultErrors);
  return new VaultTransitItemError({
    operation: target.operation,
    key: target.key,
    mount: target.mount,
    kind,
    reason: kind === 'key-not-found' ? 'the key does not exist' : REASONS[kind],
    vaultErrors,
    index,
  });
}
