/**
 * VaultSecretsRuntime on real HTTP against the in-memory Vault: AppRole login, a KV v2 source, faults
 * for outages. Each test has its own server; they run at once (mostly timers). Dynamic sources and
 * shutdown: vault-secrets-runtime-leases.spec.ts.
 */
import { describe, expect } from '@jest/globals';
import { VaultPermissionError } from '../errors/vault-permission.error.js';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import type { SecretsChangedEvent } from '../interfaces/secrets-changed-event.interface.js';
import {
  canary,
  fixtureTest,
  RuntimeFixture,
  sleep,
} from './vault-secrets-runtime.spec-helpers.js';

const DATA = 'GET /v1/secret/data/app/config';
const LOGIN = 'POST /v1/auth/approle/login';
const POLICY = 'path "secret/data/app/*" { capabilities = ["read"] }\n';

class Fixture extends RuntimeFixture {
  static async start(): Promise<Fixture> {
    const v = new Fixture(await RuntimeFixture.startServer(), {
      sources: [{ mount: 'secret', path: 'app/config' }],
    });
    await v.loginWithAppRole(POLICY);
    return v;
  }

  async writeConfig(data: Record<string, string>): Promise<void> {
    this.secrets.push(...Object.values(data));
    await this.call('POST', 'secret/data/app/config', { data });
  }
}

const test = fixtureTest(() => Fixture.start());

describe('VaultSecretsRuntime (real HTTP, in-memory Vault)', () => {
  test('start(): the snapshot, the options and the status of a live session', async v => {
    const key = canary('start');
    await v.writeConfig({ API_KEY: key });
    const runtime = await v.runtime({ refresh: { intervalMs: 3_600_000 } });
    expect(runtime.snapshot.get('API_KEY')).toBe(key);
    expect(runtime.options.sources[0]).toMatchObject({ mount: 'secret', path: 'app/config' });
    expect(runtime.refreshFailing).toBe(false);
    const status = runtime.status();
    expect(status).toEqual({
      mode: 'vault',
      tokenTtlS: 3600,
      lastRefreshAgeMs: expect.any(Number),
      refreshIntervalMs: 3_600_000,
    });
    expect(status.lastRefreshAgeMs).toBeLessThan(1000);
    expect(v.logger.lines('log')).toEqual([
      expect.stringMatching(/^Loaded 1 secrets .* via approle$/),
    ]);
  });

  test('refresh(): nothing changed, no event; a change reaches sinks, then listeners, with one log line', async v => {
    const [v1, v2] = [canary('v1'), canary('v2')];
    await v.writeConfig({ API_KEY: v1, SAME: 'same-value' });
    const runtime = await v.runtime();
    const seen: string[] = [];
    const events: SecretsChangedEvent[] = [];
    runtime.onSnapshot(s => seen.push(`sink ${String(s.get('API_KEY') === v2)}`));
    runtime.onChange(e => {
      events.push(e);
      seen.push(`listener ${String(runtime.snapshot.get('API_KEY') === v2)}`);
    });
    await sleep(300);
    expect(runtime.status().lastRefreshAgeMs).toBeGreaterThanOrEqual(290);
    await expect(runtime.refresh()).resolves.toMatchObject({ changed: false, changes: [] });
    expect(runtime.status().lastRefreshAgeMs).toBeLessThan(200); // unchanged still counts as fresh
    expect(seen).toEqual([]);

    await v.writeConfig({ API_KEY: v2, SAME: 'same-value' });
    const result = await runtime.refresh();
    expect(result.changes).toEqual([
      expect.objectContaining({
        key: 'API_KEY',
        change: 'updated',
        previousVersion: 1,
        version: 2,
      }),
    ]);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(seen).toEqual(['sink true', 'listener true']);
    expect(events).toEqual([{ reason: 'refresh', changes: result.changes, at: expect.any(Date) }]);
    expect(v.logger.lines('log').at(-1)).toBe(
      'Vault secrets changed (refresh): 1 key(s): API_KEY updated',
    );
  });

  test('concurrent refresh() callers share one refresh (one read of the source)', async v => {
    await v.writeConfig({ API_KEY: canary('shared') });
    const runtime = await v.runtime();
    v.server.resetStats();
    const first = runtime.refresh();
    const second = runtime.refresh();
    expect(second).toBe(first);
    await first;
    expect(v.requests(DATA)).toBe(1);
  });

  test('a failing refresh keeps the last good snapshot, warns once per streak, then recovers', async v => {
    const key = canary('lkg');
    await v.writeConfig({ API_KEY: key });
    const runtime = await v.runtime();
    const outage = v.server.faults.inject({ path: '/v1/secret/data/app/config', status: 503 });
    await expect(runtime.refresh()).rejects.toBeInstanceOf(VaultUnavailableError);
    await expect(runtime.refresh()).rejects.toBeInstanceOf(VaultUnavailableError);
    expect(runtime.snapshot.get('API_KEY')).toBe(key);
    expect(runtime.refreshFailing).toBe(true);
    expect(runtime.status().lastError).toMatchObject({
      error: 'VaultUnavailableError',
      during: 'refresh',
      attempts: 2,
    });
    expect(v.logger.lines('warn')).toEqual([
      expect.stringMatching(
        /^Vault refresh failed \(VaultUnavailableError: .*\); keeping the last known good secrets and backing off$/,
      ),
    ]);
    outage.remove();
    await expect(runtime.refresh()).resolves.toMatchObject({ changed: false });
    expect(runtime.refreshFailing).toBe(false);
    expect(runtime.status().lastError).toBeUndefined();
    expect(v.logger.lines('log').at(-1)).toBe('Vault refresh recovered after 2 failed attempt(s)');
  });

  test('scheduled refresh backs off during an outage, then picks up a change by itself', async v => {
    await v.writeConfig({ API_KEY: canary('sched-v1') });
    const runtime = await v.runtime({ refresh: { intervalMs: 100, jitter: 0, maxBackoffMs: 400 } });
    const outage = v.server.faults.inject({ path: '/v1/secret/data/app/config', status: 503 });
    v.server.resetStats();
    await sleep(1250); // failures at 100, 300, 700 and 1100 ms: backoff 200, 400, 400
    outage.remove();
    expect(v.requests(DATA)).toBeGreaterThanOrEqual(3);
    expect(v.requests(DATA)).toBeLessThanOrEqual(5); // without backoff: about 12
    expect(runtime.refreshFailing).toBe(true);
    const v2 = canary('sched-v2');
    await v.writeConfig({ API_KEY: v2 });
    await sleep(600); // the next attempt comes at most 400 ms later
    expect(runtime.snapshot.get('API_KEY')).toBe(v2);
    expect(runtime.refreshFailing).toBe(false);
  });

  test('a 403 because the token was revoked costs one new login, then the refresh succeeds', async v => {
    await v.writeConfig({ API_KEY: canary('revoked') });
    const runtime = await v.runtime();
    const probe = v.client();
    runtime.shareTokenWith(probe);
    const { accessor } = await probe.lookupSelf();
    await v.call('POST', 'auth/token/revoke-accessor', { accessor });
    v.server.resetStats();
    await expect(runtime.refresh()).resolves.toMatchObject({ changed: false });
    expect(v.requests(LOGIN)).toBe(1);
    expect(v.logger.lines('warn')).toEqual([]);
  });

  test('a 403 from the policy (the token still valid) is not retried with a login', async v => {
    await v.writeConfig({ API_KEY: canary('policy') });
    const runtime = await v.runtime();
    await v.call('PUT', 'sys/policies/acl/app', {
      policy: 'path "other/*" { capabilities = ["read"] }',
    });
    v.server.resetStats();
    await expect(runtime.refresh()).rejects.toBeInstanceOf(VaultPermissionError);
    expect(v.requests(LOGIN)).toBe(0);
  });

  test('shareTokenWith() lets another client use our token; false when Vault is not used', async v => {
    await v.writeConfig({ API_KEY: canary('share') });
    const runtime = await v.runtime();
    const probe = v.client();
    expect(runtime.shareTokenWith(probe)).toBe(true);
    expect((await probe.lookupSelf()).policies).toContain('app');
    const disabled = await v.runtime({ enabled: false, defaults: { API_KEY: 'local' } });
    expect(disabled.shareTokenWith(v.client())).toBe(false);
    await expect(disabled.refresh()).resolves.toEqual({
      changed: false,
      changes: [],
      durationMs: 0,
    });
    expect(disabled.status()).toMatchObject({ mode: 'disabled' });
  });

  test('booted in fallback: the first refresh that reaches Vault connects, switches mode, renews', async v => {
    const key = canary('fallback');
    await v.writeConfig({ API_KEY: key });
    const outage = v.server.faults.inject({ path: '/v1/*', status: 503 });
    const runtime = await v.runtime({
      onUnavailable: 'fallback',
      defaults: { API_KEY: 'default' },
    });
    expect(runtime.status()).toMatchObject({ mode: 'fallback' });
    expect(runtime.status().tokenTtlS).toBeUndefined();
    await expect(runtime.refresh()).rejects.toBeInstanceOf(VaultUnavailableError);
    outage.remove();
    const result = await runtime.refresh();
    expect(result.changes).toEqual([
      expect.objectContaining({ key: 'API_KEY', change: 'updated', source: 'vault' }),
    ]);
    expect(runtime.snapshot.get('API_KEY')).toBe(key);
    expect(runtime.status()).toMatchObject({ mode: 'vault', tokenTtlS: 3600 });
  });
});
