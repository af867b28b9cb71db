import { createHash } from 'node:crypto';
import { VaultHttpError } from '../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../http/vault-result.interface.js';
import type { EngineRequest } from '../engines/secret-engine.interface.js';
import type { TokenEntry } from '../state/token-entry.js';
import { parseDurationSeconds, rfc3339, shortDuration } from '../util/duration.js';
import { listChildren } from '../engines/kv/kv-list.js';

/** The lease id Vault gives a login token: `auth/<mount>/login/<hash of the token>`. */
export function tokenLeaseId(token: TokenEntry): string {
  return `${token.path}/${createHash('sha256').update(token.id).digest('hex').slice(0, 24)}`;
}

/** `sys/leases/*` and the legacy `sys/renew`, `sys/revoke`. */
export function leasesRoute(req: EngineRequest, path: string): VaultResult | undefined {
  const op = req.operation;
  const write = op === 'create' || op === 'update';
  const core = req.core;
  const ns = req.namespace.path;
  const idFrom = (suffix: string): string => {
    const fromBody = req.body.lease_id;
    const id = typeof fromBody === 'string' && fromBody !== '' ? fromBody : suffix;
    if (!id) throw VaultHttpError.badRequest('missing lease ID');
    return id;
  };
  const tokenFor = (id: string): TokenEntry | undefined =>
    core.tokens
      .all()
      .find(
        t =>
          t.namespace === ns &&
          t.path.endsWith('/login') &&
          t.expireTime !== undefined &&
          tokenLeaseId(t) === id &&
          core.tokens.lookup(t.id),
      );

  const m = /^(?:leases\/)?(lookup|renew|revoke|revoke-prefix|revoke-force)(?:\/(.*))?$/.exec(path);
  if (!m) return undefined;
  const action = m[1];
  const suffix = m[2] ?? '';

  if (action === 'lookup' && op === 'list') {
    const prefix = suffix;
    const ids = [
      ...core.leases
        .ids()
        .filter(id => id.startsWith(ns))
        .map(id => id.slice(ns.length)),
      ...core.tokens
        .all()
        .filter(t => t.namespace === ns && t.path.endsWith('/login') && t.expireTime !== undefined)
        .map(tokenLeaseId),
    ];
    return listChildren(ids, prefix);
  }
  if (!write) throw VaultHttpError.unsupportedOperation();

  if (action === 'lookup') {
    const id = idFrom(suffix);
    const lease = core.leases.lookup(ns + id);
    if (lease) {
      return {
        data: {
          expire_time: rfc3339(lease.expireTime),
          id,
          issue_time: rfc3339(lease.issueTime),
          last_renewal: lease.lastRenewal === undefined ? null : rfc3339(lease.lastRenewal),
          renewable: lease.renewable,
          ttl: core.leases.ttlOf(lease),
        },
      };
    }
    const token = tokenFor(id);
    if (token && token.expireTime !== undefined) {
      return {
        data: {
          expire_time: rfc3339(token.expireTime),
          id,
          issue_time: rfc3339(token.creationTime),
          last_renewal: token.lastRenewal === undefined ? null : rfc3339(token.lastRenewal),
          renewable: token.renewable,
          ttl: core.tokens.ttlOf(token),
        },
      };
    }
    throw VaultHttpError.badRequest('invalid lease');
  }
  if (action === 'renew') {
    const id = idFrom(suffix);
    const lease = core.leases.lookup(ns + id);
    if (!lease) {
      if (tokenFor(id))
        throw VaultHttpError.badRequest('tokens cannot be renewed through this endpoint');
      throw VaultHttpError.badRequest('lease not found');
    }
    const increment = parseDurationSeconds(req.body.increment, 0);
    const asked = increment > 0 ? increment : lease.ttl;
    const ttl = core.leases.renew(lease, increment);
    // Like Vault, say so when the max TTL cut the renewal short (asked or default increment).
    const warnings =
      ttl < asked
        ? [
            `TTL of "${shortDuration(asked)}" exceeded the effective max_ttl of "${shortDuration(ttl)}"; TTL value is capped accordingly`,
          ]
        : undefined;
    return { leaseId: id, renewable: true, leaseDuration: ttl, envelope: true, warnings };
  }
  if (action === 'revoke') {
    const id = idFrom(suffix);
    core.leases.revoke(ns + id);
    const token = tokenFor(id);
    if (token) core.revokeToken(token.id);
    return NO_CONTENT;
  }
  // revoke-prefix / revoke-force
  core.leases.revokePrefix(ns + suffix);
  for (const t of core.tokens.all()) {
    if (t.namespace === ns && t.path.endsWith('/login') && tokenLeaseId(t).startsWith(suffix))
      core.revokeToken(t.id);
  }
  return NO_CONTENT;
}
