import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import { TimerSlot } from '../lifecycle/timer-slot.js';
import type { ResolvedRefreshOptions } from '../options/resolved-vault-config-options.interface.js';

/** Keeps 2^n finite in a long outage; 2^20 intervals are beyond any sensible maxBackoffMs. */
const MAX_BACKOFF_EXPONENT = 20;

/**
 * The wait before the next scheduled refresh: the interval after a success (`failures`
 * undefined), after a failure the interval × 2^failures capped at `maxBackoffMs`; then up to
 * `jitter` shorter at random, so many instances do not refresh in step.
 */
export function refreshDelayMs(
  settings: ResolvedRefreshOptions,
  failures: number | undefined,
  random: () => number = Math.random,
): number {
  const base =
    failures !== undefined
      ? Math.min(
          settings.maxBackoffMs,
          settings.intervalMs * 2 ** Math.min(failures, MAX_BACKOFF_EXPONENT),
        )
      : settings.intervalMs;
  return base * (1 - settings.jitter * random());
}

export interface RefreshSchedulerOptions {
  /** Undefined: nothing is ever scheduled. */
  settings: ResolvedRefreshOptions | undefined;
  /** One refresh; it rejects when it failed. */
  run: () => Promise<unknown>;
  /** Failures in a row, counted by whoever also counts on-demand refreshes. */
  failures: () => number;
  /**
   * Whether Vault answers again (one cheap unauthenticated request). While a refresh fails because
   * Vault is unreachable, this is asked every interval instead of backing off, so the app notices
   * Vault's return within an interval however long the outage was, at one request per interval.
   */
  isReachable?: () => Promise<boolean>;
  random?: () => number;
}

/**
 * Runs `run` every interval until `stop()`, backing off while it fails. During the backoff after an
 * outage it asks `isReachable` every interval and refreshes as soon as Vault answers again.
 */
export class RefreshScheduler {
  readonly #timer = new TimerSlot();
  readonly #options: RefreshSchedulerOptions;

  constructor(options: RefreshSchedulerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#schedule(false);
  }

  stop(): void {
    this.#timer.close();
  }

  #schedule(failed: boolean): void {
    const { settings, random } = this.#options;
    if (!settings || this.#timer.closed) return;
    const delay = refreshDelayMs(settings, failed ? this.#options.failures() : undefined, random);
    this.#timer.set(delay, () => this.#refresh());
  }

  #refresh(): void {
    this.#options.run().then(
      () => this.#schedule(false),
      (error: unknown) => {
        const { settings, isReachable, random } = this.#options;
        if (!settings || !isReachable || !(error instanceof VaultUnavailableError)) {
          return this.#schedule(true);
        }
        this.#watch(Date.now() + refreshDelayMs(settings, this.#options.failures(), random), false);
      },
    );
  }

  /**
   * One look every interval whether Vault answers. Once it was seen down, only that look is sent
   * (one request per interval, however long the outage) and the refresh runs as soon as Vault
   * answers again. A Vault that answers all along while reads fail is left to the backoff.
   */
  #watch(retryAt: number, sawDown: boolean): void {
    const { settings, random, isReachable } = this.#options;
    if (!settings || !isReachable || this.#timer.closed) return;
    this.#timer.set(refreshDelayMs(settings, undefined, random), () => {
      if (!sawDown && Date.now() >= retryAt) return this.#refresh();
      isReachable().then(
        reachable =>
          reachable && sawDown ? this.#refresh() : this.#watch(retryAt, sawDown || !reachable),
        () => this.#watch(retryAt, true),
      );
    });
  }
}
