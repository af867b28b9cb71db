import type { VaultAuthBlock } from '../interfaces/vault-envelope.interface.js';
import type { SensitiveValue } from '../options/sensitive-value.js';
import type { AuthMethod, VaultLoginClient } from './auth-method.interface.js';
import { readCredentialFile } from './read-credential-file.js';

/**
 * Username and password against `userpass` or `ldap`: POST auth/<mount>/login/<username>
 * { password }. A `passwordFile` is read at every login, so a rotated password is picked up.
 */
export class PasswordAuth implements AuthMethod {
  readonly canReauthenticate = true;
  readonly ownsToken = true;
  readonly #password: SensitiveValue | undefined;

  constructor(
    readonly name: 'userpass' | 'ldap',
    private readonly username: string,
    password: SensitiveValue | undefined,
    private readonly passwordFile: string | undefined,
    private readonly mount: string,
  ) {
    this.#password = password;
  }

  async authenticate(client: VaultLoginClient): Promise<VaultAuthBlock> {
    const password =
      this.#password?.reveal() ??
      (await readCredentialFile(this.passwordFile as string, this.name, 'password', {
        keepSpaces: true,
      }));
    return client.login(this.mount, { password }, this.name, {
      path: `login/${this.username}`,
      secrets: [password],
      hint: `check the username and password${
        this.name === 'ldap' ? ` and the LDAP configuration (auth/${this.mount}/config)` : ''
      }`,
    });
  }
}
