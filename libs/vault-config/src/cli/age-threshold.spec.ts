import { describe, expect, it } from '@jest/globals';
import { formatAge, parseAgeThreshold } from './age-threshold.js';
import { CliUsageError } from './errors/cli-usage.error.js';

describe('--if-older-than durations', () => {
  it('reads days, hours, minutes and seconds, alone or together', () => {
    expect(parseAgeThreshold('30d', 'rotate')).toBe(30 * 86_400);
    expect(parseAgeThreshold('12h', 'rotate')).toBe(43_200);
    expect(parseAgeThreshold('90m', 'rotate')).toBe(5400);
    expect(parseAgeThreshold('45s', 'rotate')).toBe(45);
    expect(parseAgeThreshold('1d12h', 'rotate')).toBe(129_600);
    expect(parseAgeThreshold('0s', 'rotate')).toBe(0);
  });

  it('refuses anything else with a usage error that does not quote it', () => {
    for (const bad of ['30', 'd', '1w', '1.5h', '-1d', '30 d', '', '9'.repeat(400) + 'd']) {
      const error = (() => {
        try {
          parseAgeThreshold(bad, 'rotate');
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(CliUsageError);
      if (bad.length > 2) expect((error as Error).message).not.toContain(bad);
    }
  });

  it('prints ages with their two largest units', () => {
    expect(formatAge(0)).toBe('0s');
    expect(formatAge(59.9)).toBe('59s');
    expect(formatAge(125)).toBe('2m 5s');
    expect(formatAge(3600)).toBe('1h');
    expect(formatAge(7500)).toBe('2h 5m');
    expect(formatAge(31 * 86_400 + 5)).toBe('31d');
    expect(formatAge(2 * 86_400 + 3 * 3600)).toBe('2d 3h');
    expect(formatAge(-5)).toBe('0s');
  });
});
