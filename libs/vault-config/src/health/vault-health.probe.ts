import type { VaultClient } from '../client/vault.client.js';
import { VaultPermissionError } from '../errors/vault-permission.error.js';
import type { VaultHealthStatus } from '../interfaces/vault-envelope.interface.js';
import type { ResolvedVaultConfigOptions } from '../options/resolved-vault-config-options.interface.js';
import { loadRuntimeModule } from '../runtime/load-runtime-module.js';

/** What one probe learnt: `sys/health`, and whether Vault still accepts our token. */
export interface VaultProbeAnswer {
  health: VaultHealthStatus;
  /** Absent when there is no token to check (e.g. a transport that authenticates itself). */
  token?: { valid: true; ttlS: number } | { valid: false };
}

/** Lends the probe the module's current token (it changes after a re-login). */
export type TokenLender = (client: VaultClient) => boolean;

export interface VaultHealthProbe {
  probe(lendToken: TokenLender): Promise<VaultProbeAnswer>;
  /** The address in use (with several, the node the last probe and the module's requests reached). */
  readonly address: string;
  close(): Promise<void>;
}

/**
 * A client on its own one-socket transport with a short timeout and no retry, so a slow Vault
 * never holds a health request longer than `timeoutMs`. One probe = `sys/health` and
 * `auth/token/lookup-self`, sent together. Built on first use (TLS files are read then, so a problem
 * shows as `down`, not as a crash). `undefined` when Vault is disabled. With several addresses it
 * fails over like the module's client, and shares with it which address is in use.
 */
export function createVaultHealthProbe(
  options: ResolvedVaultConfigOptions,
): VaultHealthProbe | undefined {
  if (!options.enabled) return undefined;
  let client: Promise<VaultClient> | undefined;
  let built: VaultClient | undefined;
  return {
    get address() {
      return built?.address ?? options.address ?? 'Vault';
    },
    probe: async lendToken => {
      client ??= loadRuntimeModule().then(runtime =>
        runtime.createVaultClient(options, {
          timeoutMs: options.health.timeoutMs,
          maxSockets: 2,
          retry: { attempts: 1 },
        }),
      );
      const c = (built = await client);
      const hasToken = lendToken(c);
      const [health, token] = await Promise.all([
        c.health(),
        hasToken ? tokenState(c) : Promise.resolve(undefined),
      ]);
      return { health, ...(token ? { token } : {}) };
    },
    close: async () => {
      // A transport passed in through the options belongs to the caller.
      if (client && !options.transport) await (await client.catch(() => undefined))?.close();
    },
  };
}

async function tokenState(client: VaultClient): Promise<VaultProbeAnswer['token']> {
  try {
    const data = await client.lookupSelf();
    const ttl = data.ttl;
    return { valid: true, ttlS: typeof ttl === 'number' && Number.isFinite(ttl) ? ttl : 0 };
  } catch (error) {
    if (error instanceof VaultPermissionError) return { valid: false };
    // Sealed, unreachable, ...: sys/health tells the story; the token is not known to be bad.
    return undefined;
  }
}
