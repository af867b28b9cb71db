import type { VaultAuthBlock } from '../interfaces/vault-envelope.interface.js';

/**
 * What an auth method needs of the Vault client: a login call, or a place for a token it found.
 * `VaultClient` is one; auth methods never see the transport.
 */
export interface VaultLoginClient {
  /** POST auth/<mount>/login and use the new token. */
  login(mount: string, body: Record<string, unknown>, method?: string): Promise<VaultAuthBlock>;
  setToken(token: string | undefined): void;
}

/** Gives the client a token: a static one, one read from a file, or one from a login. */
export interface AuthMethod {
  readonly name: string;
  /**
   * True when `authenticate` can run again for a fresh token (a login, or a token file that an agent
   * rewrites); false for a fixed token.
   */
  readonly canReauthenticate: boolean;
  /** True when the token comes from our own login, so revoking it on shutdown hurts no one else. */
  readonly ownsToken: boolean;
  /** Sets the client's token; a login returns its auth block (TTL, renewable). */
  authenticate(client: VaultLoginClient): Promise<VaultAuthBlock | undefined>;
}
