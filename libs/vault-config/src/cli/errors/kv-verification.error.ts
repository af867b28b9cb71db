import { VaultConfigError } from '../../errors/vault-config.error.js';
import { safeText } from '../../utils/safe-text.js';

/** Reading back a write did not give what was written; names the keys, never their values. */
export class KvVerificationError extends VaultConfigError {
  readonly mount: string;
  readonly path: string;
  readonly keys: string[];

  constructor(details: { mount: string; path: string; keys: string[]; reason: string }) {
    super(
      `Verification of ${details.mount}/${details.path} failed: ${details.reason}` +
        (details.keys.length
          ? ` (keys: ${details.keys.map(k => safeText(k, 120)).join(', ')})`
          : '') +
        '.',
      'VAULT_CLI_VERIFY',
    );
    this.mount = details.mount;
    this.path = details.path;
    this.keys = details.keys;
  }
}
