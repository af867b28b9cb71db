import type { AuthMethod, VaultLoginClient } from './auth-method.interface.js';
import { readCredentialFile } from './read-credential-file.js';

/** Reads the token from a file (e.g. written by Vault Agent) at load time. */
export class TokenFileAuth implements AuthMethod {
  readonly name = 'tokenFile';
  readonly canReauthenticate = true;
  readonly ownsToken = false;

  constructor(private readonly path: string) {}

  async authenticate(client: VaultLoginClient): Promise<undefined> {
    client.setToken(await readCredentialFile(this.path, this.name, 'token'));
    return undefined;
  }
}
