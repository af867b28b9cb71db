import { homedir } from 'node:os';
import { join } from 'node:path';
import { VaultAuthError } from '../errors/vault-auth.error.js';
import type { SensitiveValue } from '../options/sensitive-value.js';
import type { AuthMethod, VaultLoginClient } from './auth-method.interface.js';
import { readCredentialFile } from './read-credential-file.js';

/**
 * Token auth as the Vault CLI does it: the option's token, else VAULT_TOKEN (both resolved with the
 * options), else `~/.vault-token`. With a custom transport (and `auth: { method: 'token' }` given)
 * and no token anywhere, requests go out without a token (the transport may hold its own).
 */
export class TokenAuth implements AuthMethod {
  readonly name = 'token';
  readonly canReauthenticate = false;
  readonly ownsToken = false;
  readonly #token: SensitiveValue | undefined;
  readonly #tokenOptional: boolean;
  readonly #home: () => string;

  constructor(
    token: SensitiveValue | undefined,
    tokenOptional = false,
    home: () => string = homedir,
  ) {
    this.#token = token;
    this.#tokenOptional = tokenOptional;
    this.#home = home;
  }

  async authenticate(client: VaultLoginClient): Promise<undefined> {
    if (this.#token) {
      client.setToken(this.#token.reveal());
      return undefined;
    }
    const file = join(this.#home(), '.vault-token');
    try {
      client.setToken(await readCredentialFile(file, this.name, 'token'));
    } catch (error) {
      if (this.#tokenOptional) return undefined;
      const detail = error instanceof VaultAuthError ? ` (${file}: not readable or empty)` : '';
      throw new VaultAuthError({
        method: this.name,
        reason:
          `no token found: set auth.token, VAULT_TOKEN or ~/.vault-token${detail}, ` +
          `or use another auth method`,
      });
    }
    return undefined;
  }
}
