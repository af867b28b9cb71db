import type { TokenStore } from '../state/token-store.js';
import type { TokenEntry } from '../state/token-entry.js';
import { rfc3339 } from '../util/duration.js';

/** The `auth` block of a login / token create / renew response. */
export function authBlock(entry: TokenEntry, leaseDuration?: number) {
  return {
    client_token: entry.id,
    accessor: entry.accessor,
    policies: [...entry.policies],
    token_policies: [...entry.policies],
    metadata: entry.authMetadata ?? (entry.meta ? { ...entry.meta } : null),
    lease_duration: leaseDuration ?? (entry.expireTime === undefined ? 0 : entry.creationTtl),
    renewable: entry.renewable,
    entity_id: entry.entityId,
    token_type: 'service',
    orphan: entry.orphan,
    mfa_requirement: null,
    num_uses: entry.numUses,
  };
}

/** `auth/token/lookup*` data. `hideId` for lookups by accessor. */
export function lookupData(tokens: TokenStore, entry: TokenEntry, hideId = false) {
  const data: Record<string, unknown> = {
    accessor: entry.accessor,
    creation_time: Math.floor(entry.creationTime / 1000),
    creation_ttl: entry.creationTtl,
    display_name: entry.displayName,
    entity_id: entry.entityId,
    expire_time: entry.expireTime === undefined ? null : rfc3339(entry.expireTime),
    explicit_max_ttl: entry.explicitMaxTtl,
    id: hideId ? '' : entry.id,
    issue_time: rfc3339(entry.creationTime),
    meta: entry.meta ?? entry.authMetadata ?? null,
    num_uses: entry.numUses,
    orphan: entry.orphan,
    path: entry.path,
    policies: [...entry.policies],
    renewable: entry.renewable,
    ttl: tokens.ttlOf(entry),
    type: 'service',
  };
  if (entry.period > 0) data.period = entry.period;
  if (entry.lastRenewal !== undefined) {
    data.last_renewal = rfc3339(entry.lastRenewal);
    data.last_renewal_time = Math.floor(entry.lastRenewal / 1000);
  }
  if (entry.namespace) data.namespace_path = entry.namespace;
  return data;
}
