import type { VaultAuthBlock } from '../interfaces/vault-envelope.interface.js';
import type { SensitiveValue } from '../options/sensitive-value.js';
import type { AuthMethod, VaultLoginClient } from './auth-method.interface.js';
import { readCredentialFile } from './read-credential-file.js';

const HINT =
  "check the role, the JWT's issuer, audience and expiry, and the role's bound_audiences and bound_claims";

/**
 * JWT/OIDC auth: POST auth/<mount>/login { role, jwt }. A `jwtFile` is read at every login: CI
 * runners and Kubernetes projected tokens replace it, and an old JWT expires.
 */
export class JwtAuth implements AuthMethod {
  readonly name = 'jwt';
  readonly canReauthenticate = true;
  readonly ownsToken = true;
  readonly #jwt: SensitiveValue | undefined;

  constructor(
    private readonly role: string,
    jwt: SensitiveValue | undefined,
    private readonly jwtFile: string | undefined,
    private readonly mount: string,
  ) {
    this.#jwt = jwt;
  }

  async authenticate(client: VaultLoginClient): Promise<VaultAuthBlock> {
    const jwt =
      this.#jwt?.reveal() ?? (await readCredentialFile(this.jwtFile as string, this.name, 'JWT'));
    return client.login(this.mount, { role: this.role, jwt }, this.name, {
      secrets: [jwt],
      hint: HINT,
    });
  }
}
