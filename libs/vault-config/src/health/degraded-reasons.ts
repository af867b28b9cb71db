import type { VaultRuntimeStatus } from '../interfaces/vault-runtime-status.interface.js';

/**
 * Why `VaultHealthIndicator` answers `degraded` (still serving, but impaired), in this order:
 * - `last-known-good`: refreshes are failing; the last good secrets are served (not stale yet).
 * - `failover`: requests go to a cluster address other than the first.
 * - `credentials-not-renewed`: renewing or replacing the token, a lease, a certificate or a static
 *   role's password is failing; the current ones are still in use.
 * - `token-expiring`: nothing will renew or replace the token and a third of its TTL or less is left.
 * @publicApi
 */
export type VaultDegradedReason =
  'last-known-good' | 'failover' | 'credentials-not-renewed' | 'token-expiring';

export interface DegradedFacts {
  status: VaultRuntimeStatus;
  refreshFailing: boolean;
  /** The address in use. */
  address: string;
  /** The configured addresses, in order of preference (undefined: one address). */
  addresses: readonly string[] | undefined;
}

/** Every reason that applies now; empty when nothing is impaired. */
export function degradedReasons(facts: DegradedFacts): VaultDegradedReason[] {
  const { status, addresses } = facts;
  const reasons: VaultDegradedReason[] = [];
  if (facts.refreshFailing) reasons.push('last-known-good');
  if (addresses && addresses.length > 1 && facts.address !== addresses[0]) reasons.push('failover');
  if (status.credentialsError) reasons.push('credentials-not-renewed');
  if (status.tokenExpiring) reasons.push('token-expiring');
  return reasons;
}
