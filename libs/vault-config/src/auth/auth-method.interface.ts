import type { VaultClient } from '../client/vault.client.js';

/** Gives the client a token: a static one, one read from a file, or one from a login. */
export interface AuthMethod {
  readonly name: string;
  authenticate(client: VaultClient): Promise<void>;
}
