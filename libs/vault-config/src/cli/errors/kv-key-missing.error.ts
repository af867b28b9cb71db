import { VaultConfigError } from '../../errors/vault-config.error.js';

/** The secret, or the key in it, that a command should change does not exist. */
export class KvKeyMissingError extends VaultConfigError {
  readonly mount: string;
  readonly path: string;
  readonly key?: string;

  constructor(details: { mount: string; path: string; key?: string; hint: string }) {
    const where = `${details.mount}/${details.path}`;
    super(
      details.key === undefined
        ? `${where} does not exist (or its latest version is deleted); ${details.hint}.`
        : `${where} has no key ${details.key}; ${details.hint}.`,
      'VAULT_CLI_KEY_MISSING',
    );
    this.mount = details.mount;
    this.path = details.path;
    if (details.key !== undefined) this.key = details.key;
  }
}
