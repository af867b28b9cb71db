import type { TestClock } from '../clock/test-clock.js';
import { newAccessor, newTokenId } from '../util/ids.js';
import type { RenewCheck, TokenEntry } from './token-entry.js';

/** Dev server's system max lease TTL (768h), the default TTL of tokens created without one. */
export const SYSTEM_MAX_TTL_SECONDS = 768 * 3600;

export interface NewToken {
  id?: string;
  policies: string[];
  namespace: string;
  parent?: TokenEntry;
  noParent?: boolean;
  ttl?: number;
  explicitMaxTtl?: number;
  period?: number;
  renewable?: boolean;
  numUses?: number;
  meta?: Record<string, string> | null;
  displayName?: string;
  path?: string;
  /** Role max TTL (approle, kubernetes) in seconds; 0 = system max. */
  maxTtl?: number;
  entityId?: string;
  renewCheck?: RenewCheck;
}

export type RevokeListener = (token: TokenEntry) => void;

/** All tokens of all namespaces, with parent/child revocation and clock-driven expiry. */
export class TokenStore {
  private readonly byId = new Map<string, TokenEntry>();
  private readonly byAccessor = new Map<string, string>();
  private readonly revokeListeners: RevokeListener[] = [];

  constructor(private readonly clock: TestClock) {}

  onRevoke(listener: RevokeListener): void {
    this.revokeListeners.push(listener);
  }

  createRoot(id: string): TokenEntry {
    return this.create({
      id,
      policies: ['root'],
      namespace: '',
      noParent: true,
      ttl: 0,
      displayName: 'root',
    });
  }

  create(spec: NewToken): TokenEntry {
    const now = this.clock.now();
    const isRootPolicy = spec.policies.includes('root');
    const period = spec.period ?? 0;
    const explicitMax = spec.explicitMaxTtl ?? 0;
    let ttl =
      period > 0
        ? period
        : spec.ttl && spec.ttl > 0
          ? spec.ttl
          : isRootPolicy
            ? 0
            : SYSTEM_MAX_TTL_SECONDS;
    const ceilings = [explicitMax, spec.maxTtl ?? 0];
    if (period === 0 && ttl > 0) ceilings.push(SYSTEM_MAX_TTL_SECONDS);
    const positive = ceilings.filter(v => v > 0);
    const ceiling = positive.length ? Math.min(...positive) : 0;
    let maxExpireTime: number | undefined;
    if (ceiling > 0) {
      maxExpireTime = now + ceiling * 1000;
      if (ttl === 0 || ttl > ceiling) ttl = ceiling;
    }
    const parent = spec.noParent ? undefined : spec.parent;
    const entry: TokenEntry = {
      id: spec.id ?? newTokenId(),
      accessor: newAccessor(),
      policies: spec.policies,
      namespace: spec.namespace,
      parentId: parent?.id,
      children: new Set(),
      creationTime: now,
      creationTtl: ttl,
      explicitMaxTtl: explicitMax,
      period,
      renewable: ttl > 0 ? (spec.renewable ?? true) : false,
      meta: spec.meta ?? null,
      displayName: spec.displayName ?? 'token',
      orphan: parent === undefined,
      path: spec.path ?? 'auth/token/create',
      entityId: spec.entityId ?? '',
      expireTime: ttl > 0 ? now + ttl * 1000 : undefined,
      maxExpireTime,
      lastRenewal: undefined,
      numUses: spec.numUses ?? 0,
      ...(spec.renewCheck ? { renewCheck: spec.renewCheck } : {}),
    };
    this.byId.set(entry.id, entry);
    this.byAccessor.set(entry.accessor, entry.id);
    parent?.children.add(entry.id);
    return entry;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The live token, or `undefined` (expired tokens are revoked on sight, with their children). */
  lookup(id: string | undefined): TokenEntry | undefined {
    if (!id) return undefined;
    const entry = this.byId.get(id);
    if (!entry) return undefined;
    // A token dies with any expired ancestor (Vault revokes the whole tree when the parent expires).
    const now = this.clock.now();
    for (let t: TokenEntry | undefined = entry, hops = 0; t && hops < 1000; hops++) {
      if (t.expireTime !== undefined && t.expireTime <= now) {
        this.revoke(t.id);
        return undefined;
      }
      t = t.parentId === undefined ? undefined : this.byId.get(t.parentId);
    }
    return entry;
  }

  lookupAccessor(accessor: string): TokenEntry | undefined {
    const id = this.byAccessor.get(accessor);
    return id === undefined ? undefined : this.lookup(id);
  }

  /** Seconds left, `0` for tokens without TTL. */
  ttlOf(entry: TokenEntry): number {
    if (entry.expireTime === undefined) return 0;
    return Math.max(0, Math.floor((entry.expireTime - this.clock.now()) / 1000));
  }

  /**
   * Renews like Vault: the new TTL is `increment` (default: the token's period or creation TTL),
   * capped by its max; returns the TTL granted and whether it was capped.
   */
  renew(entry: TokenEntry, increment: number): { ttl: number; cappedFrom?: number } {
    const now = this.clock.now();
    let ttl = entry.period > 0 ? entry.period : increment > 0 ? increment : entry.creationTtl;
    let cappedFrom: number | undefined;
    if (entry.maxExpireTime !== undefined) {
      const left = Math.max(0, Math.round((entry.maxExpireTime - now) / 1000));
      if (ttl > left) {
        if (increment > 0) cappedFrom = increment;
        ttl = left;
      }
    }
    entry.expireTime = now + ttl * 1000;
    entry.lastRenewal = now;
    return { ttl, cappedFrom };
  }

  /** Counts one use; a token whose last use this was is revoked after the request. */
  use(entry: TokenEntry): { exhausted: boolean } {
    if (entry.numUses <= 0) return { exhausted: false };
    entry.numUses -= 1;
    return { exhausted: entry.numUses === 0 };
  }

  /** Revokes the token and (unless `orphanChildren`) every descendant. */
  revoke(id: string, orphanChildren = false): void {
    const entry = this.byId.get(id);
    if (!entry) return;
    this.byId.delete(id);
    this.byAccessor.delete(entry.accessor);
    if (entry.parentId) this.byId.get(entry.parentId)?.children.delete(id);
    for (const listener of this.revokeListeners) listener(entry);
    for (const childId of [...entry.children]) {
      if (orphanChildren) {
        const child = this.byId.get(childId);
        if (child) (child as { parentId: string | undefined }).parentId = undefined;
      } else {
        this.revoke(childId);
      }
    }
  }

  all(): TokenEntry[] {
    return [...this.byId.values()];
  }

  accessors(namespace: string): string[] {
    return [...this.byId.values()].filter(t => t.namespace === namespace).map(t => t.accessor);
  }
}
