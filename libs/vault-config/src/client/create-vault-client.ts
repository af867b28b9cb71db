import { loadTlsMaterial } from './tls-material.js';
import type {
  ResolvedRetryOptions,
  ResolvedVaultConfigOptions,
} from '../options/resolved-vault-config-options.interface.js';
import type { EventLoopHold } from './event-loop-hold.js';
import { HttpVaultTransport } from './http-vault.transport.js';
import { VaultClient } from './vault.client.js';

/** What a caller may tighten for its own use of Vault (e.g. a health probe: short timeout, one try). */
export interface VaultClientOverrides {
  timeoutMs?: number;
  maxSockets?: number;
  retry?: Partial<ResolvedRetryOptions>;
  /** Whether requests keep the process alive (see EventLoopHold). */
  hold?: EventLoopHold;
}

/**
 * A VaultClient for validated options: the transport given in the options, else the default HTTP
 * transport (TLS files read now) with `concurrency` sockets. `client.close()` closes its transport:
 * call it only when the options gave none (a transport passed in belongs to its owner).
 */
export async function createVaultClient(
  resolved: ResolvedVaultConfigOptions,
  overrides: VaultClientOverrides = {},
): Promise<VaultClient> {
  const transport =
    resolved.transport ??
    new HttpVaultTransport({
      address: resolved.address as string,
      timeoutMs: overrides.timeoutMs ?? resolved.timeoutMs,
      maxSockets: overrides.maxSockets ?? resolved.concurrency,
      ...(overrides.hold ? { hold: overrides.hold } : {}),
      ...(await loadTlsMaterial(resolved.tls)),
    });
  return new VaultClient({
    transport,
    ...(resolved.address !== undefined ? { address: resolved.address } : {}),
    ...(resolved.namespace !== undefined ? { namespace: resolved.namespace } : {}),
    retry: overrides.retry ?? resolved.retry,
    ...(overrides.hold ? { hold: overrides.hold } : {}),
  });
}
