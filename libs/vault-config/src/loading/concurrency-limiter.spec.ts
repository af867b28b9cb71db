import { describe, expect, it } from '@jest/globals';
import { createLimiter } from './concurrency-limiter.js';

describe('createLimiter', () => {
  it('never runs more than the limit at once and runs all tasks', async () => {
    const limit = createLimiter(3);
    let active = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limit(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise(r => setTimeout(r, 2));
          active--;
          if (i === 5) throw new Error('boom');
          return i;
        }).catch(() => -1),
      ),
    );
    expect(peak).toBe(3);
    expect(results.filter(r => r >= 0)).toHaveLength(19);
    expect(active).toBe(0);
  });
});
