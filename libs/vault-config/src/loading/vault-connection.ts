import type { AuthMethod } from '../auth/auth-method.interface.js';
import { createAuthMethod } from '../auth/create-auth-method.js';
import { createVaultClient } from '../client/create-vault-client.js';
import type { VaultClient } from '../client/vault.client.js';
import type { VaultAuthBlock } from '../interfaces/vault-envelope.interface.js';
import type { ResolvedVaultConfigOptions } from '../options/resolved-vault-config-options.interface.js';
import { createLimiter } from './concurrency-limiter.js';
import { SourceReader } from './source-reader.js';

/** An authenticated client with its reader; `close()` closes the transport only if we made it. */
export interface VaultConnection {
  readonly client: VaultClient;
  readonly auth: AuthMethod;
  readonly reader: SourceReader;
  /** The auth block of the login, when the method logs in (AppRole, Kubernetes). */
  readonly login: VaultAuthBlock | undefined;
  close(): Promise<void>;
}

export async function openVaultConnection(
  resolved: ResolvedVaultConfigOptions,
): Promise<VaultConnection> {
  const client = await createVaultClient(resolved);
  const close = async () => {
    if (!resolved.transport) await client.close();
  };
  try {
    const auth = createAuthMethod(resolved.auth, resolved.transport !== undefined);
    const login = await auth.authenticate(client);
    const reader = new SourceReader(client, createLimiter(resolved.concurrency));
    return { client, auth, reader, login, close };
  } catch (error) {
    await close();
    throw error;
  }
}
