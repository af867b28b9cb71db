import { describe, expect, it, jest } from '@jest/globals';
import type { Report } from './option-reader.js';
import { validateRetryOptions } from './validate-retry-options.js';

const resolve = (retry: unknown) => {
  const report = jest.fn<Report>();
  const resolved = validateRetryOptions(retry === undefined ? {} : { retry }, report);
  return { resolved, problems: report.mock.calls };
};

describe('validateRetryOptions', () => {
  it('defaults to 3 attempts between 100 and 2000 ms, each field overridable alone', () => {
    expect(resolve(undefined)).toEqual({
      resolved: { attempts: 3, minDelayMs: 100, maxDelayMs: 2000 },
      problems: [],
    });
    expect(resolve({ attempts: 5 }).resolved).toEqual({
      attempts: 5,
      minDelayMs: 100,
      maxDelayMs: 2000,
    });
    expect(resolve({ attempts: 20, minDelayMs: 0, maxDelayMs: 300_000 }).problems).toEqual([]);
  });

  it('reports each out-of-range field under retry.* and keeps its default', () => {
    expect(resolve({ attempts: 0, minDelayMs: 60_001, maxDelayMs: -1 })).toEqual({
      resolved: { attempts: 3, minDelayMs: 100, maxDelayMs: 2000 },
      problems: [
        ['retry.attempts', 'must be an integer from 1 to 20'],
        ['retry.minDelayMs', 'must be an integer from 0 to 60000'],
        ['retry.maxDelayMs', 'must be an integer from 0 to 300000'],
      ],
    });
    expect(resolve({ attempts: 21 }).problems).toEqual([
      ['retry.attempts', 'must be an integer from 1 to 20'],
    ]);
    expect(resolve([]).problems).toEqual([['retry', 'must be an object']]);
  });

  it('refuses a maximum delay below the minimum, also against a default', () => {
    expect(resolve({ minDelayMs: 500, maxDelayMs: 400 }).problems).toEqual([
      ['retry.maxDelayMs', 'must be at least retry.minDelayMs'],
    ]);
    expect(resolve({ minDelayMs: 5000 }).problems).toEqual([
      ['retry.maxDelayMs', 'must be at least retry.minDelayMs'],
    ]);
  });
});
