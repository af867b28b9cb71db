import type { VaultClient } from '../client/vault.client.js';
import type { VaultClientRequest } from '../client/vault-client-request.interface.js';
import type { VaultResponse } from '../interfaces/vault-transport.interface.js';
import type { LoggerLike } from '../interfaces/logger-like.interface.js';
import type { VaultTelemetry } from '../interfaces/vault-telemetry.interface.js';
import { TokenLifecycle } from '../lifecycle/token-lifecycle.js';
import type { VaultConnection } from '../loading/vault-connection.js';
import type { ResolvedSecretSource } from '../options/resolved-vault-config-options.interface.js';
import { VaultPermissionError } from '../errors/vault-permission.error.js';

/** The Vault connection kept open after the first load, and (with `renewToken`) its token's lifecycle. */
export class VaultLink {
  readonly connection: VaultConnection;
  readonly token: TokenLifecycle | undefined;
  readonly #logger: LoggerLike | undefined;

  /** `probeSource`: a source the token read at boot, to tell a revoked token from a narrow policy. */
  constructor(
    connection: VaultConnection,
    renewToken: boolean,
    logger?: LoggerLike,
    probeSource?: ResolvedSecretSource,
    telemetry?: VaultTelemetry,
  ) {
    this.connection = connection;
    this.#logger = logger;
    if (renewToken) {
      const stillAccepted = probeSource ? () => stillReads(connection, probeSource) : undefined;
      this.token = new TokenLifecycle(
        connection.client,
        connection.auth,
        logger,
        Math.random,
        stillAccepted,
        telemetry,
      );
      this.token.start(connection.login);
    }
  }

  get client(): VaultClient {
    return this.connection.client;
  }

  /** Gives another client our current token, without exposing it. */
  shareTokenWith(client: VaultClient): boolean {
    if (!this.client.hasToken()) return false;
    this.client.copyTokenTo(client);
    return true;
  }

  /**
   * Sends one request with our current token. A 403 because the token was revoked costs one new
   * login and one retry, as a refresh does; any other answer is the caller's to read.
   */
  async send(request: VaultClientRequest): Promise<VaultResponse> {
    const response = await this.client.request(request);
    if (response.status !== 403 || !(await this.tokenWasRevoked())) return response;
    await this.token?.reauthenticate();
    return this.client.request(request);
  }

  /** A 403 after a revoke: the token is gone, and a new login may fix it. */
  async tokenWasRevoked(): Promise<boolean> {
    if (!this.token?.canReauthenticate) return false;
    return !(await this.token.isTokenValid());
  }

  /** Revokes our own login token; a failure only costs a warning, the token expires anyway. */
  async revokeToken(): Promise<void> {
    try {
      await this.token?.revoke();
    } catch {
      this.#logger?.warn('Vault token could not be revoked on shutdown; it expires with its TTL');
    }
  }
}

/** Whether the token may still read a source it read before (any answer but a 403). */
async function stillReads(
  connection: VaultConnection,
  source: ResolvedSecretSource,
): Promise<boolean> {
  try {
    await connection.reader.read({ ...source, required: false });
    return true;
  } catch (error) {
    return !(error instanceof VaultPermissionError);
  }
}
