import { describe, expect, it } from '@jest/globals';
import { renewDelayMs, retryDelayMs } from './renewal-schedule.js';

describe('renewal schedule', () => {
  it('acts at 2/3 of the TTL, up to 10 % earlier at random, never later', () => {
    expect(renewDelayMs(3, () => 0)).toBe(2000);
    expect(renewDelayMs(3, () => 0.999999)).toBeCloseTo(1800, 0);
    expect(renewDelayMs(3600, () => 0.5)).toBe(2_280_000);
    const spread = Array.from({ length: 200 }, () => renewDelayMs(60));
    expect(Math.min(...spread)).toBeGreaterThanOrEqual(36_000);
    expect(Math.max(...spread)).toBeLessThanOrEqual(40_000);
    expect(new Set(spread).size).toBeGreaterThan(1); // instances do not renew in step
  });

  it('retries after a backoff that grows with the failures, at least 250 ms, at most 30 s', () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4].map(n => retryDelayMs(n, top))).toEqual([499, 999, 1999, 3999]);
    expect(retryDelayMs(20, top)).toBe(29_999);
    expect(retryDelayMs(1, () => 0)).toBe(250);
    expect(retryDelayMs(10, () => 0)).toBe(250);
  });
});
