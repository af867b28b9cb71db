import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ErrorStreak } from '../lifecycle/error-streak.js';
import type { ResolvedRefreshOptions } from '../options/resolved-vault-config-options.interface.js';
import { RefreshScheduler, refreshDelayMs } from './refresh-scheduler.js';

const settings = (over: Partial<ResolvedRefreshOptions> = {}): ResolvedRefreshOptions => ({
  intervalMs: 1000,
  jitter: 0,
  useMetadata: false,
  maxBackoffMs: 5000,
  ...over,
});

describe('refreshDelayMs', () => {
  it('after a success: the interval, up to `jitter` shorter at random, never longer', () => {
    const s = settings({ jitter: 0.1 });
    expect(refreshDelayMs(s, undefined, () => 0)).toBe(1000);
    expect(refreshDelayMs(s, undefined, () => 0.5)).toBe(950);
    expect(refreshDelayMs(s, undefined, () => 0.999999)).toBeCloseTo(900, 0);
  });

  it('after failures: interval × 2^failures, capped at maxBackoffMs', () => {
    const s = settings();
    expect([1, 2, 3, 4, 10].map(n => refreshDelayMs(s, n, () => 0))).toEqual([
      2000, 4000, 5000, 5000, 5000,
    ]);
    expect(refreshDelayMs(settings({ jitter: 0.5 }), 2, () => 1)).toBe(2000); // jitter applies too
  });

  it('the exponent stops at 20: at most 2^20 intervals, even under a larger maxBackoffMs', () => {
    const wide = settings({ maxBackoffMs: Number.MAX_SAFE_INTEGER });
    expect(refreshDelayMs(wide, 20, () => 0)).toBe(1000 * 2 ** 20);
    expect(refreshDelayMs(wide, 5000, () => 0)).toBe(1000 * 2 ** 20);
  });
});

describe('RefreshScheduler', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  /** A scheduler whose refreshes fail while `outcomes` says so; `at` records when each ran. */
  function scheduled(outcomes: boolean[], over: Partial<ResolvedRefreshOptions> = {}) {
    const streak = new ErrorStreak('refresh', undefined);
    const at: number[] = [];
    const start = Date.now();
    const scheduler = new RefreshScheduler({
      settings: settings(over),
      failures: () => streak.failures,
      random: () => 0.5,
      run: () => {
        at.push(Date.now() - start);
        if (outcomes.shift() === false) {
          streak.fail(new Error('down'), 'backing off');
          return Promise.reject(new Error('down'));
        }
        streak.succeed();
        return Promise.resolve();
      },
    });
    return { scheduler, at };
  }

  it('refreshes every interval while refreshes succeed', async () => {
    const { scheduler, at } = scheduled([]);
    scheduler.start();
    await jest.advanceTimersByTimeAsync(999);
    expect(at).toEqual([]);
    await jest.advanceTimersByTimeAsync(3001);
    expect(at).toEqual([1000, 2000, 3000, 4000]);
    scheduler.stop();
  });

  it('backs off while refreshes fail (capped), and returns to the interval after a success', async () => {
    const { scheduler, at } = scheduled([false, false, false, false, true]);
    scheduler.start();
    await jest.advanceTimersByTimeAsync(20_000);
    // Waits after each failure: 2 s, 4 s, then the 5 s cap twice; 1 s after the success.
    expect(at).toEqual([1000, 3000, 7000, 12_000, 17_000, 18_000, 19_000, 20_000]);
    scheduler.stop();
  });

  it('the wait is up to `jitter` shorter, from the random source given', async () => {
    const { scheduler, at } = scheduled([], { jitter: 0.2 });
    scheduler.start();
    await jest.advanceTimersByTimeAsync(2000);
    expect(at).toEqual([900, 1800]); // random 0.5 × jitter 0.2 = 10 % shorter
    scheduler.stop();
  });

  it('stop() cancels the next refresh, and one still running when stopped schedules no other', async () => {
    let finish: () => void = () => undefined;
    const runs: number[] = [];
    const scheduler = new RefreshScheduler({
      settings: settings(),
      failures: () => 0,
      run: () => {
        runs.push(Date.now());
        return new Promise<void>(resolve => (finish = resolve));
      },
    });
    scheduler.start();
    await jest.advanceTimersByTimeAsync(1000);
    expect(runs).toHaveLength(1);
    scheduler.stop();
    finish();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runs).toHaveLength(1);

    const idle = scheduled([]);
    idle.scheduler.start();
    idle.scheduler.stop();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(idle.at).toEqual([]);
  });

  it('without refresh settings nothing is ever scheduled', async () => {
    const run = jest.fn(() => Promise.resolve());
    new RefreshScheduler({ settings: undefined, failures: () => 0, run }).start();
    await jest.advanceTimersByTimeAsync(24 * 60 * 60 * 1000);
    expect(run).not.toHaveBeenCalled();
    expect(jest.getTimerCount()).toBe(0);
  });
});
