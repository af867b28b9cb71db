import { isTlsErrorCode } from '../utils/tls-error-code.js';
import { VaultConfigError } from './vault-config.error.js';

const CHECK_NETWORK =
  'Check the address (options.address / VAULT_ADDR), the network, TLS settings and that Vault is unsealed';
const CHECK_TLS =
  "The TLS handshake failed: if Vault's certificate comes from a private CA, set VAULT_CACERT (or " +
  'tls.caCert) to that CA; check that the host name in the address is in the certificate and that ' +
  'Vault speaks https there';

/** Vault could not be reached (network error, timeout, 5xx, sealed, rate limited) after all retries. */
export class VaultUnavailableError extends VaultConfigError {
  readonly address: string;
  /** ECONNREFUSED, ETIMEDOUT, ECONNRESET, HTTP_503, ... */
  readonly errorCode: string;
  readonly path?: string;
  readonly status?: number;
  readonly attempts: number;
  readonly vaultErrors: string[];

  constructor(details: {
    address: string;
    errorCode: string;
    path?: string;
    status?: number;
    attempts?: number;
    vaultErrors?: string[];
  }) {
    const attempts = details.attempts ?? 1;
    const what = details.vaultErrors?.length
      ? `${details.errorCode}: ${details.vaultErrors.join('; ')}`
      : details.errorCode;
    super(
      `Vault at ${details.address} is unavailable (${what}) after ${attempts} attempt(s)` +
        (details.path ? ` requesting ${details.path}` : '') +
        `. ${isTlsErrorCode(details.errorCode) ? CHECK_TLS : CHECK_NETWORK}; ` +
        `or set onUnavailable: 'fallback' to boot from environment and defaults.`,
      'VAULT_UNAVAILABLE',
    );
    this.address = details.address;
    this.errorCode = details.errorCode;
    if (details.path !== undefined) this.path = details.path;
    if (details.status !== undefined) this.status = details.status;
    this.attempts = attempts;
    this.vaultErrors = details.vaultErrors ?? [];
  }
}
