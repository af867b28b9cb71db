import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { TimerSlot } from './timer-slot.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('TimerSlot', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('runs the task once after the delay; a new set() replaces the pending one', () => {
    const slot = new TimerSlot();
    const first = jest.fn<() => void>();
    const second = jest.fn<() => void>();
    slot.set(100, first);
    slot.set(200, second);
    jest.advanceTimersByTime(199);
    expect(second).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('waits out a delay beyond setTimeout’s 24.8-day limit instead of firing at once', () => {
    const slot = new TimerSlot();
    const task = jest.fn<() => void>();
    slot.set(243 * DAY_MS, task); // 2/3 of a one-year token TTL
    jest.advanceTimersByTime(1000);
    expect(task).not.toHaveBeenCalled();
    jest.advanceTimersByTime(242 * DAY_MS);
    expect(task).not.toHaveBeenCalled();
    jest.advanceTimersByTime(DAY_MS);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('nothing runs after clear() or close(), and close() refuses new timers', () => {
    const slot = new TimerSlot();
    const task = jest.fn<() => void>();
    slot.set(100, task);
    slot.clear();
    jest.advanceTimersByTime(200);
    slot.set(30 * DAY_MS, task);
    jest.advanceTimersByTime(25 * DAY_MS); // past the first hop
    slot.close();
    slot.set(100, task);
    jest.advanceTimersByTime(10 * DAY_MS);
    expect(task).not.toHaveBeenCalled();
    expect(slot.closed).toBe(true);
  });
});
