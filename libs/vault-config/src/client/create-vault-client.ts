import { loadTlsMaterial } from './tls-material.js';
import type {
  ResolvedRetryOptions,
  ResolvedVaultConfigOptions,
} from '../options/resolved-vault-config-options.interface.js';
import type { EventLoopHold } from './event-loop-hold.js';
import type { VaultTransport } from '../interfaces/vault-transport.interface.js';
import { AddressInUse } from './address-in-use.js';
import { FailoverVaultTransport } from './failover-vault.transport.js';
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
 * One per set of options with several addresses: the module's client and its health probe are
 * made from the same options, and move from a failed node together.
 */
const addressesInUse = new WeakMap<ResolvedVaultConfigOptions, AddressInUse>();

function addressInUseFor(resolved: ResolvedVaultConfigOptions, addresses: readonly string[]) {
  let inUse = addressesInUse.get(resolved);
  if (!inUse) addressesInUse.set(resolved, (inUse = new AddressInUse(addresses)));
  return inUse;
}

/**
 * A VaultClient for validated options: the transport given in the options, else the default HTTP
 * transport (TLS files read now) with `concurrency` sockets — one per address, behind a
 * FailoverVaultTransport when there are several. `client.close()` closes its transport: call it
 * only when the options gave none (a transport passed in belongs to its owner).
 */
export async function createVaultClient(
  resolved: ResolvedVaultConfigOptions,
  overrides: VaultClientOverrides = {},
): Promise<VaultClient> {
  const addresses = resolved.addresses ?? (resolved.address ? [resolved.address] : []);
  const several = !resolved.transport && addresses.length > 1;
  let transport: VaultTransport;
  if (resolved.transport) transport = resolved.transport;
  else {
    const settings = {
      timeoutMs: overrides.timeoutMs ?? resolved.timeoutMs,
      maxSockets: overrides.maxSockets ?? resolved.concurrency,
      ...(overrides.hold ? { hold: overrides.hold } : {}),
      ...(await loadTlsMaterial(resolved.tls)),
    };
    transport = several
      ? new FailoverVaultTransport(
          addresses.map(address => ({
            address,
            transport: new HttpVaultTransport({ ...settings, address }),
          })),
          addressInUseFor(resolved, addresses),
        )
      : new HttpVaultTransport({ ...settings, address: resolved.address as string });
  }
  return new VaultClient({
    transport,
    // With several addresses the client names the one in use, which the transport knows.
    ...(resolved.address !== undefined && !several ? { address: resolved.address } : {}),
    ...(resolved.namespace !== undefined ? { namespace: resolved.namespace } : {}),
    retry: overrides.retry ?? resolved.retry,
    ...(overrides.hold ? { hold: overrides.hold } : {}),
  });
}
