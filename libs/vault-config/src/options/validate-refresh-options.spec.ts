import { describe, expect, it, jest } from '@jest/globals';
import type { Report } from './option-reader.js';
import { validateRefreshOptions } from './validate-refresh-options.js';

const resolve = (refresh: unknown) => {
  const report = jest.fn<Report>();
  const resolved = validateRefreshOptions(refresh === undefined ? {} : { refresh }, report);
  return { resolved, problems: report.mock.calls };
};

describe('validateRefreshOptions', () => {
  it('is off unless given', () => {
    expect(resolve(undefined)).toEqual({ resolved: undefined, problems: [] });
  });

  it('fills jitter, useMetadata and a back-off of at least 300000 ms', () => {
    expect(resolve({ intervalMs: 1000 }).resolved).toEqual({
      intervalMs: 1000,
      jitter: 0.1,
      useMetadata: false,
      maxBackoffMs: 300_000,
    });
    expect(resolve({ intervalMs: 600_000 }).resolved?.maxBackoffMs).toBe(600_000);
    expect(
      resolve({ intervalMs: 50, jitter: 0, useMetadata: true, maxBackoffMs: 2_147_483_647 }),
    ).toEqual({
      resolved: { intervalMs: 50, jitter: 0, useMetadata: true, maxBackoffMs: 2_147_483_647 },
      problems: [],
    });
  });

  it('requires intervalMs and reports each mistake under refresh.*', () => {
    expect(resolve({})).toEqual({
      resolved: undefined,
      problems: [['refresh.intervalMs', 'is required']],
    });
    expect(resolve(60_000).problems).toEqual([
      ['refresh', 'must be an object such as { intervalMs: 60000 }'],
    ]);
    expect(resolve({ intervalMs: 49, jitter: 1.5, useMetadata: 'yes', maxBackoffMs: 10 })).toEqual({
      resolved: undefined,
      problems: [
        ['refresh.intervalMs', 'must be an integer from 50 to 2147483647'],
        ['refresh.jitter', 'must be a number from 0 to 1'],
        ['refresh.useMetadata', 'must be a boolean'],
        ['refresh.maxBackoffMs', 'must be an integer from 50 to 2147483647'],
      ],
    });
    expect(resolve({ intervalMs: 2_147_483_648 }).problems).toEqual([
      ['refresh.intervalMs', 'must be an integer from 50 to 2147483647'],
    ]);
  });
});
