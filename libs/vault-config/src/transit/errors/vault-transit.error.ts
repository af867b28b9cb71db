import { VaultConfigError } from '../../errors/vault-config.error.js';

/**
 * What went wrong with a transit request:
 * - `key-not-found`: the named key does not exist on the mount;
 * - `invalid-ciphertext`: not a Vault ciphertext, altered, or made by another key or with another context;
 * - `version-not-allowed`: the ciphertext's (or signature's) key version is below the key's
 *   `min_decryption_version`, or newer than its latest version;
 * - `context-required`: the key is derived and the request had no `context`;
 * - `unsupported-by-key`: the key's type cannot do it (e.g. `sign` with an AES key);
 * - `not-mounted`: no transit engine answers at the mount;
 * - `invalid-request`: anything else Vault refused (its reason is in `vaultErrors`);
 * - `invalid-argument`: refused before anything was sent (a key name Vault cannot have, a wrong type).
 */
export type VaultTransitErrorKind =
  | 'key-not-found'
  | 'invalid-ciphertext'
  | 'version-not-allowed'
  | 'context-required'
  | 'unsupported-by-key'
  | 'not-mounted'
  | 'invalid-request'
  | 'invalid-argument';

/** The transit request that failed: never its data, only where it went. */
export interface VaultTransitErrorDetails {
  kind: VaultTransitErrorKind;
  /** `encrypt`, `decrypt`, `rewrap`, `hmac`, `sign`, `verify`. */
  operation: string;
  key: string;
  mount: string;
  /** What is wrong and what to do, without the data. */
  reason: string;
  status?: number;
  /** Vault's error strings (truncated; any part of the request's data removed). */
  vaultErrors?: string[];
}

/**
 * A transit request Vault refused (or that could not be sent as given). The message names the
 * operation, the key and the mount — never a plaintext, ciphertext, signature or key material.
 * @publicApi
 */
export class VaultTransitError extends VaultConfigError {
  readonly kind: VaultTransitErrorKind;
  readonly operation: string;
  readonly key: string;
  readonly mount: string;
  /** The API path, e.g. `transit/decrypt/orders`. */
  readonly path: string;
  readonly status?: number;
  readonly vaultErrors: string[];

  constructor(details: VaultTransitErrorDetails, code = 'VAULT_TRANSIT') {
    const vaultErrors = details.vaultErrors ?? [];
    const said = vaultErrors.length ? ` (Vault: ${vaultErrors.join('; ')})` : '';
    super(
      `Transit ${details.operation} with key "${details.key}" on mount "${details.mount}" failed: ` +
        `${details.reason}${said}.`,
      code,
    );
    this.kind = details.kind;
    this.operation = details.operation;
    this.key = details.key;
    this.mount = details.mount;
    this.path = `${details.mount}/${details.operation}/${details.key}`;
    if (details.status !== undefined) this.status = details.status;
    this.vaultErrors = vaultErrors;
  }
}
