import type { VaultAuthBlock } from '../interfaces/vault-envelope.interface.js';
import type { AuthMethod, VaultLoginClient } from './auth-method.interface.js';

const HINT =
  "check that the client certificate (tls.clientCert / VAULT_CLIENT_CERT) is signed by the role's certificate and not expired";

/**
 * TLS certificate auth: POST auth/<mount>/login { name? }. The proof is the client certificate the
 * transport presents in the TLS handshake; the body names the role at most.
 */
export class CertAuth implements AuthMethod {
  readonly name = 'cert';
  readonly canReauthenticate = true;
  readonly ownsToken = true;

  constructor(
    private readonly role: string | undefined,
    private readonly mount: string,
  ) {}

  async authenticate(client: VaultLoginClient): Promise<VaultAuthBlock> {
    const body = this.role !== undefined ? { name: this.role } : {};
    return client.login(this.mount, body, this.name, { hint: HINT });
  }
}
