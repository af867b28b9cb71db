/**
 * CertificateLifecycle and StaticRoleLifecycle: when they ask for a new read (Jest's fake clock,
 * fixed randomness: the times are exact fake milliseconds), how they retry, and certificate
 * revocation on real HTTP against the test server.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { VaultTestServer } from '../../../vault-testing/src/index.js';
import { HttpVaultTransport } from '../client/http-vault.transport.js';
import { VaultClient } from '../client/vault.client.js';
import { VaultResponseError } from '../errors/vault-response.error.js';
import type { LoggerLike } from '../interfaces/logger-like.interface.js';
import type { StaticRoleRotation } from '../loading/source-read-result.interface.js';
import { CertificateLifecycle } from './certificate-lifecycle.js';
import { ErrorStreak } from './error-streak.js';
import { StaticRoleLifecycle } from './static-role-lifecycle.js';
import type { TimedSource } from './timed-source.interface.js';
import { fakeClock } from './fake-clock.spec-helpers.js';
import { MIN_RENEW_DELAY_MS } from './renewal-schedule.js';

const elapse = (ms: number) => fakeClock.elapse(ms);
const noJitter = () => 0;
const fullJitter = () => 1;

class Recorder implements LoggerLike {
  readonly lines: string[] = [];
  readonly log = (m: string) => void this.lines.push(`log ${m}`);
  readonly warn = (m: string) => void this.lines.push(`warn ${m}`);
  readonly error = (m: string) => void this.lines.push(`error ${m}`);
}

/** Calls of a re-read callback, in ms after the test started; it may fail the first `fails` times. */
function callback(fails = 0) {
  const started = Date.now();
  const at: number[] = [];
  let left = fails;
  const run = async () => {
    at.push(Date.now() - started);
    if (left-- > 0) throw new VaultResponseError({ path: 'pki/issue/web', reason: 'status 503' });
  };
  return { at, run };
}

beforeEach(() => fakeClock.install());
afterEach(() => fakeClock.uninstall());

const stopAfter: TimedSource[] = [];
const track = <T extends TimedSource>(t: T): T => {
  stopAfter.push(t);
  return t;
};

describe('CertificateLifecycle', () => {
  let server: VaultTestServer;
  let client: VaultClient;
  beforeAll(async () => {
    server = await VaultTestServer.start({ rootToken: 'root' });
    client = new VaultClient({
      transport: new HttpVaultTransport({ address: server.url, timeoutMs: 5000 }),
      token: 'root',
      retry: { attempts: 1 },
    });
    for (const [path, body] of [
      ['sys/mounts/pki', { type: 'pki' }],
      ['pki/root/generate/internal', { common_name: 'CA', key_type: 'ec' }],
      ['pki/roles/web', { allow_any_name: true, key_type: 'ec', max_ttl: '1h' }],
    ] as const) {
      await client.request({ method: 'POST', path, body });
    }
  });
  afterAll(async () => {
    for (const t of stopAfter) t.stop();
    await client.close();
    await server.stop();
  });

  const certificate = (issuedAgoMs: number, lifetimeMs: number) => {
    const issuedAt = Date.now() - issuedAgoMs;
    return { serialNumber: '01:02', issuedAt, expiresAt: issuedAt + lifetimeMs };
  };
  const streak = (logger = new Recorder()) => new ErrorStreak('certificate renewal', logger);

  it('re-issues at 2/3 of the lifetime counted from issue, up to 10 % earlier at random', async () => {
    const exact = callback();
    const early = callback();
    const halfwayDone = callback();
    track(
      new CertificateLifecycle(client, 'pki', certificate(0, 1500), exact.run, streak(), noJitter),
    );
    track(
      new CertificateLifecycle(
        client,
        'pki',
        certificate(0, 1500),
        early.run,
        streak(),
        fullJitter,
      ),
    );
    track(
      new CertificateLifecycle(
        client,
        'pki',
        certificate(600, 1500),
        halfwayDone.run,
        streak(),
        noJitter,
      ),
    );
    await elapse(1300);
    expect(exact.at).toEqual([1000]); // 2/3 of 1.5 s
    expect(early.at).toEqual([900]); // 10 % earlier
    expect(halfwayDone.at).toEqual([400]); // issued 600 ms before
  });

  it('retries a failed re-issue with backoff, warning once and logging the recovery', async () => {
    const logger = new Recorder();
    const flaky = callback(2);
    track(
      new CertificateLifecycle(
        client,
        'pki',
        certificate(0, 300),
        flaky.run,
        streak(logger),
        noJitter,
      ),
    );
    await elapse(1200);
    // 2/3 of 300 ms is below the renewal floor: at the floor, then after 250 ms twice (backoff floor)
    expect(flaky.at).toEqual([
      MIN_RENEW_DELAY_MS,
      MIN_RENEW_DELAY_MS + 250,
      MIN_RENEW_DELAY_MS + 500,
    ]);
    expect(logger.lines).toEqual([
      'warn Vault certificate renewal failed (VaultResponseError: Unexpected answer from Vault for pki/issue/web: status 503. Check that the address points at Vault and that the mount and path are right.); retrying with backoff',
      'log Vault certificate renewal recovered after 2 failed attempt(s)',
    ]);
  });

  it('stop() cancels the re-issue; revoke() revokes by serial and reports a refusal', async () => {
    const stopped = callback();
    new CertificateLifecycle(
      client,
      'pki',
      certificate(0, 300),
      stopped.run,
      streak(),
      noJitter,
    ).stop();
    const issued = await client.request({
      method: 'POST',
      path: 'pki/issue/web',
      body: { common_name: 'x', ttl: '10m' },
    });
    const serial = (issued.body as { data: { serial_number: string } }).data.serial_number;
    const lifecycle = new CertificateLifecycle(
      client,
      'pki',
      { ...certificate(0, 600_000), serialNumber: serial },
      stopped.run,
      streak(),
    );
    await lifecycle.revoke();
    const read = await client.read<{ revocation_time: number }>(`pki/cert/${serial}`);
    expect(read?.data.revocation_time).toBeGreaterThan(0);
    server.faults.inject({ path: '/v1/pki/revoke', status: 403, times: 1 });
    await expect(lifecycle.revoke()).rejects.toThrow(
      `Unexpected answer from Vault for pki/revoke: could not revoke the certificate ${serial}`,
    );
    await elapse(5000);
    expect(stopped.at).toEqual([]);
  });
});

describe('StaticRoleLifecycle', () => {
  const streak = (logger = new Recorder()) => new ErrorStreak('static role read', logger);
  const rotation = (ttlS: number, readAgoMs = 0, lastRotation = 'r1'): StaticRoleRotation => ({
    lastRotation,
    ttlS,
    rotationPeriodS: 5,
    readAt: Date.now() - readAgoMs,
  });

  it('reads again a margin of 1–2 s after the rotation is due, counted from the read', async () => {
    const soon = callback();
    const late = callback();
    track(new StaticRoleLifecycle(rotation(0), soon.run, streak(), undefined, noJitter));
    track(new StaticRoleLifecycle(rotation(1, 1500), late.run, streak(), undefined, fullJitter));
    await elapse(1300);
    expect(soon.at).toEqual([1000]); // ttl 0 + the 1 s margin
    expect(late.at).toEqual([]); // 1 s ttl + 2 s margin - 1.5 s since the read: at 1.5 s
    await elapse(400);
    expect(late.at).toEqual([1500]);
  });

  it('after a due read that still shows the old rotation, backs off; a new rotation or a refresh plans by ttl again', async () => {
    const first = callback();
    const due = track(
      new StaticRoleLifecycle(rotation(0, 1000), first.run, streak(), undefined, noJitter),
    );
    await elapse(50);
    expect(first.at).toEqual([0]); // due at once: ttl 0, margin already spent

    const pending = callback();
    track(new StaticRoleLifecycle(rotation(0), pending.run, streak(), due, () => 0.5));
    const rotated = callback();
    track(new StaticRoleLifecycle(rotation(0, 0, 'r2'), rotated.run, streak(), due, () => 0.5));
    const notDue = track(
      new StaticRoleLifecycle(rotation(5), callback().run, streak(), undefined, noJitter),
    );
    const refreshed = callback();
    track(new StaticRoleLifecycle(rotation(0), refreshed.run, streak(), notDue, () => 0.5));
    await elapse(1000);
    // Pending: backoff of the first retry, random 0.5 × 500 ms, at least 250 ms.
    expect(pending.at).toHaveLength(1);
    expect(pending.at[0]).toBeGreaterThanOrEqual(250);
    expect(pending.at[0]).toBeLessThan(400);
    // A new rotation, or a previous that was never due: margin × 1.5 after the ttl (1.5 s).
    expect(rotated.at).toEqual([]);
    expect(refreshed.at).toEqual([]);
    await elapse(700);
    expect(rotated.at).toEqual([1500]);
    expect(refreshed.at).toEqual([1500]);
  });

  it('retries a failed read with backoff and stops for good', async () => {
    const logger = new Recorder();
    const flaky = callback(1);
    const lifecycle = track(
      new StaticRoleLifecycle(rotation(0, 1000), flaky.run, streak(logger), undefined, noJitter),
    );
    await elapse(400);
    expect(flaky.at).toEqual([0, 250]); // due at once, retried after the 250 ms backoff floor
    expect(logger.lines[0]).toMatch(/^warn Vault static role read failed \(VaultResponseError/);
    expect(logger.lines[1]).toBe('log Vault static role read recovered after 1 failed attempt(s)');
    lifecycle.stop();
    const stopped = callback();
    new StaticRoleLifecycle(rotation(0, 1000), stopped.run, streak(), undefined, noJitter).stop();
    await elapse(5000);
    expect(stopped.at).toEqual([]);
  });
});
