import type { VaultAuthBlock } from '../interfaces/vault-envelope.interface.js';

/** How a login call differs from the plain `POST auth/<mount>/login`. */
export interface VaultLoginOptions {
  /** The path under `auth/<mount>/`; default `login` (userpass and LDAP: `login/<username>`). */
  path?: string;
  /**
   * The credentials in the body. They are never shown; should Vault (or a proxy) echo one in its
   * error strings, it is cut out of the error.
   */
  secrets?: readonly string[];
  /** What to check when Vault refuses the login, for the error message. */
  hint?: string;
}

/** What `sys/wrapping/lookup` tells about a wrapping token (nothing secret). */
export interface WrappingTokenInfo {
  creationPath: string;
  creationTtlS: number;
}

/**
 * What an auth method needs of the Vault client: a login call, a place for a token it found, and
 * response unwrapping. `VaultClient` is one; auth methods never see the transport.
 */
export interface VaultLoginClient {
  /** POST auth/<mount>/login (or `options.path`) and use the new token. */
  login(
    mount: string,
    body: Record<string, unknown>,
    method?: string,
    options?: VaultLoginOptions,
  ): Promise<VaultAuthBlock>;
  setToken(token: string | undefined): void;
  /** `sys/wrapping/lookup` of a wrapping token (it is not used up). */
  lookupWrapping(wrappingToken: string, method: string): Promise<WrappingTokenInfo>;
  /** `sys/wrapping/unwrap` with the wrapping token as the request's token: the wrapped `data`. */
  unwrap(wrappingToken: string, method: string): Promise<Record<string, unknown>>;
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
