import { describe, expect, it } from '@jest/globals';
import { TestClock } from './test-clock.js';

describe('TestClock', () => {
  it('starts at the given time, follows real time unless frozen, and jumps with advance()', () => {
    const frozen = new TestClock({ start: 1_000_000, frozen: true });
    expect(frozen.now()).toBe(1_000_000);
    frozen.advance(5_000);
    expect(frozen.now()).toBe(1_005_000);
    expect(frozen.date().toISOString()).toBe(new Date(1_005_000).toISOString());
    const live = new TestClock();
    expect(Math.abs(live.now() - Date.now())).toBeLessThan(50);
    live.advance(3_600_000);
    expect(live.now() - Date.now()).toBeGreaterThan(3_599_000);
    expect(() => live.advance(-1)).toThrow(RangeError);
  });
});
