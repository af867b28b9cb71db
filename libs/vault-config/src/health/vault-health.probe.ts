import { createVaultClient } from '../client/create-vault-client.js';
import type { VaultClient } from '../client/vault.client.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import type { VaultHealthStatus } from '../interfaces/vault-envelope.interface.js';
import { validateVaultConfigOptions } from '../options/validate-vault-config-options.js';

/** Reads `sys/health` of the Vault the module loads from: one attempt, no token. */
export interface VaultHealthProbe {
  health(): Promise<VaultHealthStatus>;
  close(): Promise<void>;
}

/**
 * A client on its own one-socket transport with a short timeout, so a slow Vault never holds a
 * health request longer than `timeoutMs`. Built on first use (options are checked and TLS files
 * read then, so a problem shows as `down`, not as a crash). `undefined` when Vault is disabled.
 */
export function createVaultHealthProbe(
  options: VaultConfigOptions,
  timeoutMs: number,
): VaultHealthProbe | undefined {
  if (options.enabled === false) return undefined;
  let client: Promise<VaultClient> | undefined;
  return {
    health: async () => {
      client ??= createClient(options, timeoutMs);
      return (await client).health();
    },
    close: async () => {
      // A transport passed in through the options belongs to the caller.
      if (client && !options.transport) await (await client.catch(() => undefined))?.close();
    },
  };
}

async function createClient(options: VaultConfigOptions, timeoutMs: number) {
  const resolved = validateVaultConfigOptions(options);
  return createVaultClient(resolved, { timeoutMs, maxSockets: 1, retry: { attempts: 1 } });
}
