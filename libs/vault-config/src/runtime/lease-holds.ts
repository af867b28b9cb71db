/**
 * What a connection pool (the `pg` subpath) asks of the leases of dynamic sources: to be re-issued
 * early enough for its drain, and to revoke a replaced lease only once its connections are gone.
 * Reached from the runtime through a `Symbol.for` key, so a subpath bundle that carries its own copy
 * of this file still finds the runtime's.
 */
export interface LeaseHold {
  /** When the held lease runs out (ms since the epoch); undefined: it never does. */
  readonly expiresAt: number | undefined;
  /** Done with the lease: once no one holds it and a newer one replaced it, it is revoked. */
  release(): Promise<void>;
}

export interface LeaseHolds {
  /**
   * Renew or re-issue source `index`'s leases at least `leadMs` before they expire, until the
   * returned function is called.
   */
  attach(index: number, leadMs: number): () => void;
  /** Holds source `index`'s current lease; undefined when the source has none. */
  hold(index: number): LeaseHold | undefined;
}

const LEASE_HOLDS = Symbol.for('nestjs-vault-config.lease-holds');

/** Makes `holds` reachable from `owner` (the runtime). */
export function exposeLeaseHolds(owner: object, holds: LeaseHolds): void {
  Object.defineProperty(owner, LEASE_HOLDS, { value: holds, enumerable: false });
}

/** The lease holds of a runtime, if it has any. */
export function leaseHoldsOf(owner: object): LeaseHolds | undefined {
  return (owner as { [LEASE_HOLDS]?: LeaseHolds })[LEASE_HOLDS];
}
