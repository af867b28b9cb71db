import { describe, expect, it } from '@jest/globals';
import { backoffDelay, retryAfterDelay } from './backoff.js';

describe('backoff', () => {
  const retry = { minDelayMs: 100, maxDelayMs: 2000 };
  it('grows exponentially with full jitter, capped', () => {
    expect([1, 2, 3, 4, 5, 6].map(a => backoffDelay(a, retry, () => 0.999999))).toEqual([
      99, 199, 399, 799, 1599, 1999,
    ]);
    expect(backoffDelay(3, retry, () => 0)).toBe(0);
    expect(backoffDelay(3, retry, () => 0.5)).toBe(200);
  });
  it('parses Retry-After seconds or dates, capped at maxDelayMs', () => {
    expect(retryAfterDelay('1', 2000)).toBe(1000);
    expect(retryAfterDelay('30', 2000)).toBe(2000);
    expect(retryAfterDelay(new Date(10_500).toUTCString(), 5000, 9_000)).toBe(1000);
    expect(retryAfterDelay('soon', 2000)).toBeUndefined();
    expect(retryAfterDelay(undefined, 2000)).toBeUndefined();
  });
});
