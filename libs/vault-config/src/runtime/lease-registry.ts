import type { VaultRenewalReport } from '../interfaces/vault-telemetry.interface.js';
import type { ErrorStreak } from '../lifecycle/error-streak.js';
import { LeaseLifecycle } from '../lifecycle/lease-lifecycle.js';
import type { SecretLease } from '../loading/source-read-result.interface.js';
import { TimedSourceRegistry } from './timed-source-registry.js';

/** One `LeaseLifecycle` per dynamic source, by the source's index in the options. */
export class LeaseRegistry extends TimedSourceRegistry<SecretLease, LeaseLifecycle> {
  /** `reissue(index)` reads that source again and keeps its new lease; one streak for all. */
  constructor(
    streak: ErrorStreak,
    reissue: (index: number) => Promise<void>,
    random?: () => number,
    report?: (index: number) => VaultRenewalReport,
  ) {
    super(
      (index, lease, client) =>
        new LeaseLifecycle(client, lease, () => reissue(index), streak, random, report?.(index)),
    );
  }
}
