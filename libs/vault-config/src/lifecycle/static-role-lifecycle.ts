import type { VaultRenewalReport } from '../interfaces/vault-telemetry.interface.js';
import type { StaticRoleRotation } from '../loading/source-read-result.interface.js';
import type { ErrorStreak } from './error-streak.js';
import { MIN_RENEW_DELAY_MS, retryDelayMs } from './renewal-schedule.js';
import type { TimedSource } from './timed-source.interface.js';
import { TimerSlot } from './timer-slot.js';

/** How long after the rotation is due the password is read again (plus up to as much at random). */
export const ROTATION_MARGIN_MS = 1000;

/**
 * Follows a database static role's rotation: `reread` runs a moment after Vault's next rotation
 * (its `ttl`, plus a margin), so the new password reaches the app right after Vault set it. Vault
 * rotates from a queue and may be a few seconds late: when the answer still shows the last
 * rotation, the next lifecycle (given this one as `previous`) reads again with backoff. A failed
 * read retries with backoff too.
 */
export class StaticRoleLifecycle implements TimedSource {
  readonly #rotation: StaticRoleRotation;
  readonly #reread: () => Promise<void>;
  readonly #streak: ErrorStreak;
  readonly #random: () => number;
  readonly #timer = new TimerSlot();
  readonly #report: VaultRenewalReport | undefined;
  /** Reads in a row that found the rotation due but not done yet. */
  readonly #pendingReads: number;
  #due = false;

  constructor(
    rotation: StaticRoleRotation,
    reread: () => Promise<void>,
    streak: ErrorStreak,
    previous?: StaticRoleLifecycle,
    random = Math.random,
    report?: VaultRenewalReport,
  ) {
    this.#report = report;
    this.#rotation = rotation;
    this.#reread = reread;
    this.#streak = streak;
    this.#random = random;
    const stillPending =
      previous !== undefined &&
      previous.#due &&
      previous.#rotation.lastRotation === rotation.lastRotation;
    this.#pendingReads = stillPending ? previous.#pendingReads + 1 : 0;
    const delay = stillPending
      ? retryDelayMs(this.#pendingReads, random)
      : rotation.ttlS * 1000 + ROTATION_MARGIN_MS * (1 + random()) - (Date.now() - rotation.readAt);
    // A read planned by Vault's ttl right after a read waits at least the floor, whatever ttl (a
    // negative one) Vault answered; the backoff of a pending rotation grows by itself.
    const floor = previous && !stillPending ? MIN_RENEW_DELAY_MS : 0;
    this.#timer.set(Math.max(floor, delay), () => void this.#cycle());
  }

  stop(): void {
    this.#timer.close();
  }

  async #cycle(): Promise<void> {
    this.#due = true;
    try {
      await this.#reread();
      this.#streak.succeed();
      this.#report?.('reread');
    } catch (error) {
      this.#streak.fail(error, 'retrying with backoff');
      this.#report?.('reread', error);
      this.#timer.set(retryDelayMs(this.#streak.failures, this.#random), () => void this.#cycle());
    }
  }
}
