import type { TestClock } from '../clock/test-clock.js';

export interface Lease {
  readonly id: string;
  readonly issueTime: number;
  expireTime: number;
  readonly maxExpireTime: number | undefined;
  lastRenewal: number | undefined;
  readonly renewable: boolean;
  /** TTL granted at issue (seconds), the default increment of a renewal. */
  readonly ttl: number;
  readonly tokenId: string | undefined;
}

/** Leases of dynamic secrets, expiring on the server's clock. */
export class LeaseStore {
  private readonly leases = new Map<string, Lease>();

  constructor(private readonly clock: TestClock) {}

  create(id: string, ttl: number, maxTtl: number, tokenId: string | undefined): Lease {
    const now = this.clock.now();
    const lease: Lease = {
      id,
      issueTime: now,
      expireTime: now + ttl * 1000,
      maxExpireTime: maxTtl > 0 ? now + maxTtl * 1000 : undefined,
      lastRenewal: undefined,
      renewable: true,
      ttl,
      tokenId,
    };
    this.leases.set(id, lease);
    return lease;
  }

  lookup(id: string): Lease | undefined {
    const lease = this.leases.get(id);
    if (!lease) return undefined;
    if (lease.expireTime <= this.clock.now()) {
      this.leases.delete(id);
      return undefined;
    }
    return lease;
  }

  /** New TTL in seconds, capped by the lease's max TTL. */
  renew(lease: Lease, increment: number): number {
    const now = this.clock.now();
    let ttl = increment > 0 ? increment : lease.ttl;
    if (lease.maxExpireTime !== undefined) {
      ttl = Math.min(ttl, Math.max(0, Math.round((lease.maxExpireTime - now) / 1000)));
    }
    lease.expireTime = now + ttl * 1000;
    lease.lastRenewal = now;
    return ttl;
  }

  ttlOf(lease: Lease): number {
    return Math.max(0, Math.round((lease.expireTime - this.clock.now()) / 1000));
  }

  revoke(id: string): void {
    this.leases.delete(id);
  }

  revokePrefix(prefix: string): void {
    for (const id of [...this.leases.keys()]) if (id.startsWith(prefix)) this.leases.delete(id);
  }

  revokeByToken(tokenId: string): void {
    for (const [id, lease] of this.leases) if (lease.tokenId === tokenId) this.leases.delete(id);
  }

  ids(): string[] {
    return [...this.leases.keys()].filter(id => this.lookup(id) !== undefined);
  }
}
