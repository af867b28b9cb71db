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
  random?: () => number;
}

/** Runs `run` every interval, backing off while it fails, until `stop()`. */
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
    const { settings, run, failures, random } = this.#options;
    if (!settings || this.#timer.closed) return;
    const delay = refreshDelayMs(settings, failed ? failures() : undefined, random);
    this.#timer.set(delay, () => {
      run().then(
        () => this.#schedule(false),
        () => this.#schedule(true),
      );
    });
  }
}
