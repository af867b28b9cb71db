import type { VaultAuthBlock } from '../interfaces/vault-envelope.interface.js';
import type { AuthMethod, VaultLoginClient } from './auth-method.interface.js';
import { readCredentialFile } from './read-credential-file.js';

/** POST auth/<mount>/login { role, jwt } with the pod's service account token. */
export class KubernetesAuth implements AuthMethod {
  readonly name = 'kubernetes';
  readonly canReauthenticate = true;
  readonly ownsToken = true;

  constructor(
    private readonly role: string,
    private readonly jwtFile: string,
    private readonly mount: string,
  ) {}

  async authenticate(client: VaultLoginClient): Promise<VaultAuthBlock> {
    const jwt = await readCredentialFile(this.jwtFile, this.name, 'service account token');
    return client.login(this.mount, { role: this.role, jwt }, this.name, { secrets: [jwt] });
  }
}
