import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import {
  loadVaultSecrets,
  VaultConfigError,
  VaultResponseError,
  VaultUnavailableError,
  type LoggerLike,
  type VaultConfigOptions,
} from 'nestjs-vault-config';
import {
  selectedTargets,
  startTarget,
  vaultRequest,
  type VaultTarget,
} from '../support/vault-target.js';

/** Fault injection needs the in-memory server's /__test API, so this suite runs on "memory" only. */
const runs = selectedTargets().includes('memory');
const describeMemory = runs ? describe : describe.skip;
const CANARY = { value: 'canary-fault-value-3c4d', token: 'canary-fault-token-8e9f' };

describeMemory('loadVaultSecrets under injected faults (memory target)', () => {
  let target: VaultTarget;
  let lpToken: string;
  const lines: string[] = [];
  const seen: unknown[] = [];
  const logger: LoggerLike = {
    log: m => lines.push(m),
    warn: m => lines.push(m),
    error: m => lines.push(m),
    debug: m => lines.push(m),
  };
  const inject = async (fault: Record<string, unknown>) => {
    const res = await vaultRequest(target, 'POST', '../__test/faults', fault);
    expect(res.status).toBeLessThan(300);
  };
  const stats = async () =>
    (await vaultRequest(target, 'GET', '../__test/stats')).body as {
      total: number;
      byRoute: Record<string, number>;
    };
  const base = (extra: Partial<VaultConfigOptions> = {}): VaultConfigOptions => ({
    address: target.url,
    auth: { method: 'token', token: lpToken },
    retry: { attempts: 2, minDelayMs: 1, maxDelayMs: 2000 },
    envFallback: false,
    sources: [{ mount: 'secret', path: 'app' }],
    ...extra,
  });
  const failure = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    seen.push(e);
    expect(e).toBeInstanceOf(VaultConfigError);
    return e as VaultConfigError;
  };

  beforeAll(async () => {
    target = await startTarget('memory');
    const ok = async (method: string, path: string, body?: unknown) => {
      const res = await vaultRequest(target, method, path, body);
      if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}`);
      return res.body as { auth?: { client_token: string } };
    };
    await ok('POST', 'sys/mounts/legacy', { type: 'kv', options: { version: '1' } });
    await ok('POST', 'secret/data/app', { data: { API_KEY: CANARY.value } });
    await ok('PUT', 'legacy/app', { SMTP: CANARY.value });
    for (let i = 0; i < 8; i++)
      await ok('POST', `secret/data/many/${i}`, { data: { [`K${i}`]: `v${i}` } });
    await ok('PUT', 'sys/policies/acl/lp', {
      policy:
        'path "secret/data/app" { capabilities = ["read"] }\npath "secret/data/many/*" { capabilities = ["read"] }\n' +
        'path "legacy/app" { capabilities = ["read"] }\n',
    });
    lpToken = (await ok('POST', 'auth/token/create', { policies: ['lp'] })).auth!.client_token;
  });
  afterEach(async () => {
    await vaultRequest(target, 'DELETE', '../__test/faults');
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('detects the KV version once per mount, whatever the number of paths', async () => {
    await vaultRequest(target, 'POST', '../__test/stats/reset');
    const snapshot = await loadVaultSecrets(
      base({
        sources: Array.from({ length: 8 }, (_, i) => ({ mount: 'secret', path: `many/${i}` })),
        concurrency: 3,
      }),
    );
    expect(snapshot.keys()).toHaveLength(8);
    const s = await stats();
    expect(s.byRoute['GET /v1/sys/internal/ui/mounts/secret']).toBe(1);
    const dataReads = Object.entries(s.byRoute)
      .filter(([route]) => route.startsWith('GET /v1/secret/data/many/'))
      .reduce((sum, [, n]) => sum + n, 0);
    expect(dataReads).toBe(8);
  });

  it('sends the first KV v2 read together with the version detection, not after it', async () => {
    await vaultRequest(target, 'POST', '../__test/stats/reset');
    await inject({ path: '/v1/sys/internal/ui/mounts/*', latencyMs: 600 });
    let settled = false;
    const loading = loadVaultSecrets(base()).finally(() => (settled = true));
    await new Promise(resolve => setTimeout(resolve, 250));
    const during = await stats();
    expect(settled).toBe(false); // detection is still held back by the fault...
    expect(during.byRoute['GET /v1/sys/internal/ui/mounts/secret']).toBe(1);
    expect(during.byRoute['GET /v1/secret/data/app']).toBe(1); // ...yet the read already arrived
    const snapshot = await loading;
    seen.push(snapshot);
    expect(snapshot.get('API_KEY')).toBe(CANARY.value);
    expect((await stats()).byRoute['GET /v1/secret/data/app']).toBe(1);
  });

  it('discards the speculative v2 read on a KV v1 mount (even when it is denied)', async () => {
    await vaultRequest(target, 'POST', '../__test/stats/reset');
    const snapshot = await loadVaultSecrets(base({ sources: [{ mount: 'legacy', path: 'app' }] }));
    seen.push(snapshot);
    expect(snapshot.get('SMTP')).toBe(CANARY.value);
    expect(snapshot.describe().map(d => d.kvVersion)).toEqual([1]);
    const s = await stats();
    expect(s.byRoute['GET /v1/legacy/data/app']).toBe(1); // the lp policy denies it: 403, ignored
    expect(s.byRoute['GET /v1/legacy/app']).toBe(1);
  });

  it('falls back to probing data paths when the token may not read sys/internal/ui/mounts', async () => {
    await inject({
      path: '/v1/sys/internal/ui/mounts/*',
      status: 403,
      body: { errors: ['permission denied'] },
    });
    const snapshot = await loadVaultSecrets(
      base({
        sources: [
          { mount: 'secret', path: 'app' },
          { mount: 'legacy', path: 'app' },
        ],
      }),
    );
    seen.push(snapshot);
    expect(snapshot.get('API_KEY')).toBe(CANARY.value);
    expect(snapshot.get('SMTP')).toBe(CANARY.value);
    expect(snapshot.describe().map(d => d.kvVersion)).toEqual([2, 1]);
  });

  it('retries a 500 and a reset, then succeeds', async () => {
    await inject({ path: '/v1/secret/data/*', status: 500, times: 1 });
    await inject({ path: '/v1/legacy/*', reset: true, times: 1 });
    const snapshot = await loadVaultSecrets(
      base({
        sources: [
          { mount: 'secret', path: 'app' },
          { mount: 'legacy', path: 'app' },
        ],
      }),
    );
    expect(snapshot.keys().sort()).toEqual(['API_KEY', 'SMTP']);
  });

  it('honours Retry-After on a 429', async () => {
    await inject({ path: '/v1/secret/data/*', status: 429, retryAfterS: 1, times: 1 });
    const started = Date.now();
    const snapshot = await loadVaultSecrets(
      base({ retry: { attempts: 2, minDelayMs: 1, maxDelayMs: 5000 } }),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(snapshot.get('API_KEY')).toBe(CANARY.value);
  });

  it('fails with VaultUnavailableError (ETIMEDOUT) when answers are slower than timeoutMs', async () => {
    await inject({ path: '/v1/secret/data/*', latencyMs: 500 });
    const e = await failure(
      loadVaultSecrets(
        base({ timeoutMs: 100, sources: [{ mount: 'secret', path: 'app', kv: 2 }] }),
      ),
    );
    expect(e).toBeInstanceOf(VaultUnavailableError);
    expect((e as VaultUnavailableError).errorCode).toBe('ETIMEDOUT');
    expect(e.message).toContain(target.url);
  });

  it('fails with VaultUnavailableError on a reset connection, or falls back when asked', async () => {
    await inject({ path: '/v1/secret/data/*', reset: true });
    const e = await failure(
      loadVaultSecrets(base({ sources: [{ mount: 'secret', path: 'app', kv: 2 }] })),
    );
    expect((e as VaultUnavailableError).errorCode).toBe('ECONNRESET');
    const snapshot = await loadVaultSecrets(
      base({ onUnavailable: 'fallback', envFallback: true, required: ['API_KEY'] }),
      { logger, env: { API_KEY: 'from-env' } },
    );
    expect(snapshot.summary.mode).toBe('fallback');
    expect(snapshot.get('API_KEY')).toBe('from-env');
  });

  it('names the path on malformed JSON, a truncated body, a wrong shape and a sealed Vault', async () => {
    await inject({ path: '/v1/secret/data/app', malformed: 'invalid-json' });
    let e = await failure(loadVaultSecrets(base()));
    expect(e).toBeInstanceOf(VaultResponseError);
    expect(e.message).toContain('secret/data/app: the response body is not valid JSON');

    await vaultRequest(target, 'DELETE', '../__test/faults');
    await inject({ path: '/v1/secret/data/app', malformed: 'truncated' });
    e = await failure(loadVaultSecrets(base()));
    expect(e).toBeInstanceOf(VaultResponseError);
    expect((e as VaultResponseError).reason).toBe('the response body was cut short');

    await vaultRequest(target, 'DELETE', '../__test/faults');
    await inject({
      path: '/v1/secret/data/app',
      status: 200,
      body: { data: { data: 'not-an-object', metadata: {} } },
    });
    e = await failure(
      loadVaultSecrets(base({ sources: [{ mount: 'secret', path: 'app', kv: 2 }] })),
    );
    expect(e).toBeInstanceOf(VaultResponseError);

    await vaultRequest(target, 'DELETE', '../__test/faults');
    await inject({ path: '/v1/*', status: 503, body: { errors: ['Vault is sealed'] } });
    e = await failure(loadVaultSecrets(base()));
    expect(e).toBeInstanceOf(VaultUnavailableError);
    expect(e.message).toContain('HTTP_503: Vault is sealed');
  });

  it('leaks no canary into logs or errors', () => {
    expect(seen.length).toBeGreaterThan(5);
    const texts = [
      ...lines,
      ...seen.flatMap(x => [
        inspect(x, { depth: 10, showHidden: true }),
        JSON.stringify(x) ?? '',
        String(x),
      ]),
    ];
    for (const canary of [CANARY.value, CANARY.token, lpToken]) {
      for (const t of texts) expect(t).not.toContain(canary);
    }
  });
});
