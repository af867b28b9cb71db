import type { AuthMethod, VaultLoginClient } from './auth-method.interface.js';

/**
 * No token from the library: the transport passed in authenticates its requests itself (a
 * node-vault client sends the token it was built with). Chosen when options give a `transport` and
 * no `auth`.
 */
export class TransportTokenAuth implements AuthMethod {
  readonly name = 'token';
  readonly canReauthenticate = false;
  readonly ownsToken = false;

  authenticate(client: VaultLoginClient): Promise<undefined> {
    client.setToken(undefined);
    return Promise.resolve(undefined);
  }
}
