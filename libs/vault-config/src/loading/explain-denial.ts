import type { VaultClient } from '../client/vault.client.js';
import { VaultAuthError } from '../errors/vault-auth.error.js';
import { VaultPermissionError } from '../errors/vault-permission.error.js';
import type { ResolvedAuthOptions } from '../options/resolved-vault-config-options.interface.js';

/** Where the client's token came from, for an error a user can act on (never the token). */
export function describeTokenSource(auth: ResolvedAuthOptions, customTransport: boolean): string {
  switch (auth.method) {
    case 'token':
      if (customTransport && auth.implicit) return "the transport's own token";
      if (auth.tokenFrom === 'auth.token') return 'the token given in auth.token';
      if (auth.tokenFrom === 'VAULT_TOKEN') return 'the token in VAULT_TOKEN';
      return customTransport ? "the transport's own token" : 'the token in ~/.vault-token';
    case 'tokenFile':
      return `the token in ${auth.path}`;
    default:
      return `the token of the ${auth.method} login`;
  }
}

/**
 * A 403 means either that a policy lacks a capability or that Vault no longer accepts the token at
 * all; the permission error says the first. One `auth/token/lookup-self` tells them apart (the
 * default policy allows it): denied as well → a VaultAuthError saying the token is rejected and
 * where it came from. Anything else (or no answer) keeps the original error.
 */
export async function explainDenial(
  client: VaultClient,
  error: unknown,
  tokenSource: string,
): Promise<unknown> {
  if (!(error instanceof VaultPermissionError) || !client.hasToken()) return error;
  try {
    const res = await client.request({ method: 'GET', path: 'auth/token/lookup-self' });
    if (res.status !== 403) return error;
  } catch {
    return error;
  }
  return new VaultAuthError({
    method: 'token',
    status: 403,
    reason:
      `token rejected: Vault does not accept ${tokenSource} (invalid, expired or revoked; it may not ` +
      `even look itself up at auth/token/lookup-self, which the default policy allows). Get a new ` +
      `token (vault login, or your deployment's secret) or use a login method such as AppRole`,
  });
}
