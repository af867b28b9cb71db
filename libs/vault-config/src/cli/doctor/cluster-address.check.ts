import { createVaultClient } from '../../client/create-vault-client.js';
import type { ResolvedVaultConfigOptions } from '../../options/resolved-vault-config-options.interface.js';
import { isTlsErrorCode } from '../../utils/tls-error-code.js';
import { checkAddress, type AddressCheckResult } from './address.check.js';
import type { DoctorCheck } from './doctor-check.interface.js';

export interface AddressRows {
  readonly checks: DoctorCheck[];
  /** False when no address can be used: nothing else can be checked. */
  readonly usable: boolean;
  /** The first TLS handshake error code, for the tls row. */
  readonly tlsErrorCode?: string;
}

const NO_ACTIVE =
  'no listed node answers as active: a leader election may be under way, or add the active node to the list';

/**
 * One row per address of a cluster, each node asked on its own client (no failover, one try), all
 * at once. A node that is down, sealed or uninitialised is a warning while another node can serve
 * (the module fails over to it) and a failure when none can.
 */
export async function checkClusterAddresses(
  resolved: ResolvedVaultConfigOptions,
  addresses: readonly string[],
): Promise<AddressRows> {
  const results = await Promise.all(
    addresses.map(async (address, i): Promise<AddressCheckResult> => {
      const client = await createVaultClient(
        { ...resolved, address, addresses: [address] },
        { maxSockets: 1, retry: { attempts: 1 } },
      );
      try {
        return await checkAddress(client, { name: `address[${i}]`, clustered: true });
      } finally {
        await client.close();
      }
    }),
  );
  const usable = results.some(r => r.usable);
  const anyActive = results.some(r => r.role === 'active');
  const checks = results.map((r): DoctorCheck => {
    if (r.role === 'standby' && !anyActive) return { ...r.check, status: 'warn', fix: NO_ACTIVE };
    return !r.usable && usable ? { ...r.check, status: 'warn' } : r.check;
  });
  const tlsErrorCode = results.find(r => isTlsErrorCode(r.errorCode))?.errorCode;
  return { checks, usable, ...(tlsErrorCode !== undefined ? { tlsErrorCode } : {}) };
}
