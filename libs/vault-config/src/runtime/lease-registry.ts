import type { VaultClient } from '../client/vault.client.js';
import type { ErrorStreak } from '../lifecycle/error-streak.js';
import { LeaseLifecycle } from '../lifecycle/lease-lifecycle.js';
import type { SecretLease } from '../loading/source-read-result.interface.js';

/** One `LeaseLifecycle` per dynamic source, by the source's index in the options. */
export class LeaseRegistry {
  readonly #leases = new Map<number, LeaseLifecycle>();
  readonly #streak: ErrorStreak;
  readonly #reissue: (index: number) => Promise<void>;
  readonly #random: (() => number) | undefined;
  #stopped = false;

  /** `reissue(index)` reads that source again and keeps its new lease; one streak for all. */
  constructor(
    streak: ErrorStreak,
    reissue: (index: number) => Promise<void>,
    random?: () => number,
  ) {
    this.#streak = streak;
    this.#reissue = reissue;
    this.#random = random;
  }

  /** Replaces the source's lifecycle: the old one stops, `lease` (if any) is kept alive. */
  keep(index: number, lease: SecretLease | undefined, client: VaultClient | undefined): void {
    this.#leases.get(index)?.stop();
    this.#leases.delete(index);
    if (!lease || !client || this.#stopped) return;
    const lifecycle = new LeaseLifecycle(
      client,
      lease,
      () => this.#reissue(index),
      this.#streak,
      this.#random,
    );
    this.#leases.set(index, lifecycle);
  }

  has(index: number): boolean {
    return this.#leases.has(index);
  }

  /** Stops every renewal; leases stay registered so `revokeAll()` can still end them. */
  stopAll(): void {
    this.#stopped = true;
    for (const lease of this.#leases.values()) lease.stop();
  }

  /** Revokes every lease at once; resolves to how many could not be revoked. */
  async revokeAll(): Promise<number> {
    const results = await Promise.allSettled([...this.#leases.values()].map(l => l.revoke()));
    return results.filter(r => r.status === 'rejected').length;
  }
}
