import type { VaultAuthBlock } from '../interfaces/vault-envelope.interface.js';
import type { SensitiveValue } from '../options/sensitive-value.js';
import type { AuthMethod, VaultLoginClient } from './auth-method.interface.js';
import { readCredentialFile } from './read-credential-file.js';

/** POST auth/<mount>/login { role_id, secret_id }; the secret id may come from a file. */
export class AppRoleAuth implements AuthMethod {
  readonly name = 'approle';
  readonly canReauthenticate = true;
  readonly ownsToken = true;
  readonly #roleId: SensitiveValue;
  readonly #secretId: SensitiveValue | undefined;

  constructor(
    roleId: SensitiveValue,
    secretId: SensitiveValue | undefined,
    private readonly secretIdFile: string | undefined,
    private readonly mount: string,
  ) {
    this.#roleId = roleId;
    this.#secretId = secretId;
  }

  async authenticate(client: VaultLoginClient): Promise<VaultAuthBlock> {
    const secretId =
      this.#secretId?.reveal() ??
      (await readCredentialFile(this.secretIdFile as string, this.name, 'secret id'));
    return client.login(
      this.mount,
      { role_id: this.#roleId.reveal(), secret_id: secretId },
      this.name,
    );
  }
}
