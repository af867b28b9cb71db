import { describe, expect, it, jest } from '@jest/globals';
import type { Report } from './option-reader.js';
import type { ResolvedRefreshOptions } from './resolved-vault-config-options.interface.js';
import { validateHealthOptions } from './validate-health-options.js';

const refresh: ResolvedRefreshOptions = {
  intervalMs: 1000,
  jitter: 0.1,
  useMetadata: false,
  maxBackoffMs: 300_000,
};

const resolve = (raw: Record<string, unknown>, withRefresh?: ResolvedRefreshOptions) => {
  const report = jest.fn<Report>();
  const resolved = validateHealthOptions(raw, withRefresh, report);
  return { resolved, problems: report.mock.calls };
};

describe('validateHealthOptions', () => {
  it('caches a probe 5000 ms, times it out after 2000 ms, and has no staleness check alone', () => {
    expect(resolve({})).toEqual({ resolved: { cacheMs: 5000, timeoutMs: 2000 }, problems: [] });
  });

  it('with refresh, counts as stale after three missed intervals unless told otherwise', () => {
    expect(resolve({}, refresh).resolved.maxStalenessMs).toBe(3000);
    expect(resolve({ healthMaxStalenessMs: 10 }, refresh).resolved.maxStalenessMs).toBe(10);
    expect(resolve({ healthMaxStalenessMs: 10 }).resolved.maxStalenessMs).toBe(10);
  });

  it('takes explicit values at their bounds', () => {
    expect(
      resolve({ healthCacheMs: 0, healthTimeoutMs: 600_000, healthMaxStalenessMs: 2_147_483_647 }),
    ).toEqual({
      resolved: { cacheMs: 0, timeoutMs: 600_000, maxStalenessMs: 2_147_483_647 },
      problems: [],
    });
  });

  it('reports each out-of-range value by its option name and keeps the default', () => {
    expect(
      resolve({ healthCacheMs: -1, healthTimeoutMs: 0, healthMaxStalenessMs: 1.5 }, refresh),
    ).toEqual({
      resolved: { cacheMs: 5000, timeoutMs: 2000, maxStalenessMs: 3000 },
      problems: [
        ['healthCacheMs', 'must be an integer from 0 to 2147483647'],
        ['healthTimeoutMs', 'must be an integer from 1 to 600000'],
        ['healthMaxStalenessMs', 'must be an integer from 1 to 2147483647'],
      ],
    });
    expect(resolve({ healthTimeoutMs: 600_001, healthCacheMs: '5s' }).problems).toEqual([
      ['healthCacheMs', 'must be an integer from 0 to 2147483647'],
      ['healthTimeoutMs', 'must be an integer from 1 to 600000'],
    ]);
  });
});
