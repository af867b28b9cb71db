import type { PreparedVaultSession } from '../client/vault-session.js';
import { describeError } from '../errors/describe-error.js';

export type RevokeOutcome =
  | { readonly revoked: false }
  | { readonly revoked: true }
  | { readonly revoked: false; readonly error: string };

/**
 * A CLI command that logged in (AppRole, Kubernetes) revokes its token before it exits
 * (`auth/token/revoke-self`), so no login token outlives the command. A token the user gave
 * (VAULT_TOKEN, ~/.vault-token, a token file) is theirs and is kept.
 */
export async function revokeLoginToken(session: PreparedVaultSession): Promise<RevokeOutcome> {
  const { client, auth } = session;
  if (!auth.ownsToken || !client.hasToken()) return { revoked: false };
  try {
    const res = await client.request({
      method: 'POST',
      path: 'auth/token/revoke-self',
      body: {},
      idempotent: true,
    });
    client.setToken(undefined);
    if (res.status >= 200 && res.status < 300) return { revoked: true };
    return { revoked: false, error: `Vault answered ${res.status}` };
  } catch (error) {
    return { revoked: false, error: describeError(error) };
  }
}
