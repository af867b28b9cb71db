import { describe, expect, it } from '@jest/globals';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import { ErrorStreak, summarizeError } from './error-streak.js';
import { RecordingLogger } from '../utils/recording-logger.spec-helpers.js';

const CANARY = 'canary-error-streak-51c9e2';

const outage = () =>
  new VaultUnavailableError({ address: 'http://127.0.0.1:8200', errorCode: 'HTTP_503' });

describe('ErrorStreak', () => {
  it('warns once at the first failure of a streak, counts every failure, logs the recovery', () => {
    const logger = new RecordingLogger();
    const streak = new ErrorStreak('refresh', logger);
    streak.fail(outage(), 'keeping the last known good secrets');
    streak.fail(outage(), 'keeping the last known good secrets');
    streak.fail(outage(), 'keeping the last known good secrets');
    expect(streak.failures).toBe(3);
    expect(logger.calls).toEqual([
      {
        level: 'warn',
        message: expect.stringMatching(
          /^Vault refresh failed \(VaultUnavailableError: Vault at http:\/\/127\.0\.0\.1:8200 is unavailable \(HTTP_503\).*\); keeping the last known good secrets$/,
        ),
      },
    ]);
    streak.succeed();
    expect(logger.calls[1]).toEqual({
      level: 'log',
      message: 'Vault refresh recovered after 3 failed attempt(s)',
    });
    expect(streak.failures).toBe(0);
    expect(streak.last).toBeUndefined();
  });

  it('a new streak after a recovery warns again; a success without failures logs nothing', () => {
    const logger = new RecordingLogger();
    const streak = new ErrorStreak('lease renewal', logger);
    streak.succeed();
    expect(logger.calls).toEqual([]);
    streak.fail(outage(), 'retrying');
    streak.succeed();
    streak.fail(outage(), 'retrying');
    expect(logger.calls.map(c => c.level)).toEqual(['warn', 'log', 'warn']);
    expect(streak.failures).toBe(1);
  });

  it('keeps a summary of the last failure: class, safe reason, activity, streak start, attempts', async () => {
    const streak = new ErrorStreak('token renewal', undefined);
    const first = streak.fail(outage(), 'retrying');
    await new Promise(r => setTimeout(r, 5)); // a later failure has a later time
    const second = streak.fail(new TypeError('boom'), 'retrying');
    expect(streak.last).toBe(second);
    expect(second).toEqual({
      error: 'TypeError',
      reason: 'TypeError (details hidden)',
      during: 'token renewal',
      since: first.since, // the streak's first failure, not the latest
      attempts: 2,
    });
    expect(Date.parse(second.since)).toBeLessThanOrEqual(Date.now());
  });

  it('never shows a foreign error’s message (it may hold a secret), in logs or the summary', () => {
    const logger = new RecordingLogger();
    const streak = new ErrorStreak('refresh', logger);
    const summary = streak.fail(new Error(`password=${CANARY}`), 'retrying');
    expect(JSON.stringify(summary)).not.toContain(CANARY);
    expect(logger.calls).toHaveLength(1);
    for (const call of logger.calls) expect(call.message).not.toContain(CANARY);
    expect(logger.calls[0].message).toBe(
      'Vault refresh failed (Error: Error (details hidden)); retrying',
    );
  });

  it('summarizeError cuts a long library message at 240 characters', () => {
    const long = new VaultUnavailableError({
      address: `http://${'a'.repeat(300)}.example`,
      errorCode: 'ECONNREFUSED',
    });
    const summary = summarizeError(long, 'refresh', new Date(0), 1);
    expect(summary.reason).toHaveLength(240);
    expect(summary.since).toBe('1970-01-01T00:00:00.000Z');
  });
});
