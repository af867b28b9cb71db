import type { AuthMethod } from '../auth/auth-method.interface.js';
import { createAuthMethod } from '../auth/create-auth-method.js';
import type { VaultAuthBlock } from '../interfaces/vault-envelope.interface.js';
import type { ResolvedVaultConfigOptions } from '../options/resolved-vault-config-options.interface.js';
import { createVaultClient, type VaultClientOverrides } from './create-vault-client.js';
import type { VaultClient } from './vault.client.js';

/** A client and the auth method of the options, before the login. */
export interface PreparedVaultSession {
  readonly client: VaultClient;
  readonly auth: AuthMethod;
  /** Closes the transport when the session made it (a transport passed in belongs to its owner). */
  close(): Promise<void>;
}

/** A client that is logged in (or holds its token). */
export interface VaultSession extends PreparedVaultSession {
  /** The auth block of the login, when the method logs in (AppRole, Kubernetes). */
  readonly login: VaultAuthBlock | undefined;
}

/** The one place that turns options into a client and an auth method: the module and the CLI use it. */
export async function prepareVaultSession(
  resolved: ResolvedVaultConfigOptions,
  overrides?: VaultClientOverrides,
): Promise<PreparedVaultSession> {
  const client = await createVaultClient(resolved, overrides);
  return {
    client,
    auth: createAuthMethod(resolved.auth, resolved.transport !== undefined),
    close: async () => {
      if (!resolved.transport) await client.close();
    },
  };
}

/** Prepares a session and logs in; on failure nothing stays open. */
export async function openVaultSession(
  resolved: ResolvedVaultConfigOptions,
  overrides?: VaultClientOverrides,
): Promise<VaultSession> {
  const session = await prepareVaultSession(resolved, overrides);
  try {
    const login = await session.auth.authenticate(session.client);
    return { ...session, login };
  } catch (error) {
    await session.close();
    throw error;
  }
}
