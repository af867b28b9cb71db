import type { VaultRenewalReport } from '../interfaces/vault-telemetry.interface.js';
import type { ErrorStreak } from '../lifecycle/error-streak.js';
import { LeaseLifecycle } from '../lifecycle/lease-lifecycle.js';
import { RenewalBudget } from '../lifecycle/renewal-budget.js';
import type { SecretLease } from '../loading/source-read-result.interface.js';
import type { VaultClient } from '../client/vault.client.js';
import type { LeaseHold, LeaseHolds } from './lease-holds.js';
import { TimedSourceRegistry } from './timed-source-registry.js';

/**
 * One `LeaseLifecycle` per dynamic source, by the source's index in the options. A source keeps one
 * `RenewalBudget` across its leases: re-issues that each bring a lease of a moment cannot loop.
 * A lease someone holds (a pool still draining connections opened with it) is not forgotten when a
 * re-issue replaces it: it is revoked when its last hold is released, or by `revokeAll()`.
 */
export class LeaseRegistry
  extends TimedSourceRegistry<SecretLease, LeaseLifecycle>
  implements LeaseHolds
{
  readonly #leads: Map<number, Set<{ ms: number }>>;
  readonly #current: Map<number, LeaseLifecycle>;
  readonly #holds = new Map<LeaseLifecycle, number>();
  readonly #retired = new Set<LeaseLifecycle>();

  /** `reissue(index)` reads that source again and keeps its new lease; one streak for all. */
  constructor(
    streak: ErrorStreak,
    reissue: (index: number) => Promise<void>,
    random?: () => number,
    report?: (index: number) => VaultRenewalReport,
  ) {
    const budgets = new Map<number, RenewalBudget>();
    const budgetOf = (index: number): RenewalBudget => {
      const budget = budgets.get(index) ?? new RenewalBudget();
      budgets.set(index, budget);
      return budget;
    };
    const leads = new Map<number, Set<{ ms: number }>>();
    const leadOf = (index: number) => Math.max(0, ...[...(leads.get(index) ?? [])].map(l => l.ms));
    const current = new Map<number, LeaseLifecycle>();
    super((index, lease, client) => {
      const lifecycle = new LeaseLifecycle(
        client,
        lease,
        () => reissue(index),
        streak,
        random,
        report?.(index),
        budgetOf(index),
        () => leadOf(index),
      );
      current.set(index, lifecycle);
      return lifecycle;
    });
    this.#leads = leads;
    this.#current = current;
  }

  override keep(
    index: number,
    lease: SecretLease | undefined,
    client: VaultClient | undefined,
  ): void {
    const previous = this.#current.get(index);
    this.#current.delete(index);
    super.keep(index, lease, client);
    if (previous && this.#current.get(index) !== previous && this.#holds.has(previous)) {
      this.#retired.add(previous);
    }
  }

  attach(index: number, leadMs: number): () => void {
    const entry = { ms: leadMs };
    const set = this.#leads.get(index) ?? new Set();
    this.#leads.set(index, set.add(entry));
    this.#current.get(index)?.relead();
    return () => {
      set.delete(entry);
      this.#current.get(index)?.relead();
    };
  }

  hold(index: number): LeaseHold | undefined {
    const lifecycle = this.#current.get(index);
    if (!lifecycle) return undefined;
    this.#holds.set(lifecycle, (this.#holds.get(lifecycle) ?? 0) + 1);
    let released = false;
    return {
      get expiresAt() {
        return lifecycle.expiresAt;
      },
      release: async () => {
        if (released) return;
        released = true;
        const left = (this.#holds.get(lifecycle) ?? 1) - 1;
        if (left > 0) return void this.#holds.set(lifecycle, left);
        this.#holds.delete(lifecycle);
        if (!this.#retired.delete(lifecycle)) return;
        await lifecycle.revoke();
      },
    };
  }

  /** Revokes the current leases and every replaced one still held. */
  override async revokeAll(): Promise<number> {
    const retired = [...this.#retired];
    this.#retired.clear();
    const [current, old] = await Promise.all([
      super.revokeAll(),
      Promise.allSettled(retired.map(l => l.revoke())),
    ]);
    return current + old.filter(r => r.status === 'rejected').length;
  }
}
