import type { VaultAuthBlock } from '../interfaces/vault-envelope.interface.js';
import { SensitiveValue } from '../options/sensitive-value.js';
import type { AuthMethod, VaultLoginClient } from './auth-method.interface.js';
import { readCredentialFile } from './read-credential-file.js';
import { unwrapSecretId } from './unwrap-secret-id.js';

const HINT = 'check the role ID, the secret ID (not expired, uses left) and the auth mount';

/**
 * POST auth/<mount>/login { role_id, secret_id }; the secret id may come from a file (read at each
 * login). With `wrapped`, the option or file holds a response-wrapping token: it is unwrapped once
 * and the secret ID kept in memory for later logins, unless the file brings a new wrapping token.
 */
export class AppRoleAuth implements AuthMethod {
  readonly name = 'approle';
  readonly canReauthenticate = true;
  readonly ownsToken = true;
  readonly #roleId: SensitiveValue;
  readonly #secretId: SensitiveValue | undefined;
  /** The wrapping token unwrapped last (used up, so worthless) and the secret ID it held. */
  #unwrapped: { wrappingToken: SensitiveValue; secretId: SensitiveValue } | undefined;

  constructor(
    roleId: SensitiveValue,
    secretId: SensitiveValue | undefined,
    private readonly secretIdFile: string | undefined,
    private readonly mount: string,
    private readonly wrapped = false,
    /** With `wrapped`: the role whose secret IDs are accepted (any role of the mount without it). */
    private readonly roleName?: string,
  ) {
    this.#roleId = roleId;
    this.#secretId = secretId;
  }

  async authenticate(client: VaultLoginClient): Promise<VaultAuthBlock> {
    const roleId = this.#roleId.reveal();
    const secretId = this.wrapped ? await this.#unwrappedSecretId(client) : await this.#given();
    return client.login(this.mount, { role_id: roleId, secret_id: secretId }, this.name, {
      secrets: [roleId, secretId],
      hint: HINT,
    });
  }

  async #given(what = 'secret id'): Promise<string> {
    return (
      this.#secretId?.reveal() ??
      (await readCredentialFile(this.secretIdFile as string, this.name, what))
    );
  }

  async #unwrappedSecretId(client: VaultLoginClient): Promise<string> {
    let wrappingToken: string;
    try {
      wrappingToken = await this.#given('wrapped secret id');
    } catch (error) {
      // The deployer may remove the file once it was unwrapped: the secret ID is in memory.
      if (this.#unwrapped) return this.#unwrapped.secretId.reveal();
      throw error;
    }
    if (this.#unwrapped?.wrappingToken.reveal() === wrappingToken) {
      return this.#unwrapped.secretId.reveal();
    }
    const secretId = await unwrapSecretId(client, wrappingToken, this.mount, this.roleName);
    this.#unwrapped = {
      wrappingToken: new SensitiveValue(wrappingToken),
      secretId: new SensitiveValue(secretId),
    };
    return secretId;
  }
}
