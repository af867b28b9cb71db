import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { call, describeTargets, uniq } from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

describeTargets('rate limiting (429 + Retry-After)', kind => {
  let t: VaultTarget;
  beforeAll(async () => {
    t = await startTarget(kind);
  });
  afterAll(async () => {
    await t?.stop();
  });

  function expectRateLimited(res: Awaited<ReturnType<typeof call>>, path: string): void {
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ errors: [`request path "${path}": rate limit quota exceeded`] });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  }

  it('enforces a sys/quotas/rate-limit quota on its mount', async () => {
    // Retry-After is only sent once response headers are enabled (api-docs/system/quotas-config).
    const cfg = await call(t, 'POST', 'sys/quotas/config', {
      body: { enable_rate_limit_response_headers: true },
    });
    expect(cfg.status).toBe(204);
    const mount = uniq('rl');
    await call(t, 'POST', `sys/mounts/${mount}`, {
      body: { type: 'kv', options: { version: '2' } },
    });
    const name = uniq('quota');
    const quota = await call(t, 'POST', `sys/quotas/rate-limit/${name}`, {
      body: { rate: 1, interval: '30s', path: `${mount}/` },
    });
    expect(quota.status).toBe(204);
    const read = await call(t, 'GET', `sys/quotas/rate-limit/${name}`);
    expect(read.body.data).toMatchObject({
      name,
      path: `${mount}/`,
      rate: 1,
      interval: 30,
      type: 'rate-limit',
    });
    const path = `${mount}/data/x`;
    expect((await call(t, 'GET', path)).status).toBe(404);
    expectRateLimited(await call(t, 'GET', path), path);
    expect((await call(t, 'GET', 'secret/data/unlimited')).status).toBe(404);
    expect((await call(t, 'DELETE', `sys/quotas/rate-limit/${name}`)).status).toBe(204);
    expect((await call(t, 'GET', path)).status).toBe(404);
  });

  if (kind === 'memory') {
    it('answers 429 with Retry-After from an injected fault, like a quota', async () => {
      const path = `secret/data/${uniq('faulted')}`;
      const fault = t.memory!.faults.inject({ path: `/v1/${path}`, status: 429, retryAfterS: 7 });
      try {
        const res = await call(t, 'GET', path);
        expectRateLimited(res, path);
        expect(res.headers.get('retry-after')).toBe('7');
      } finally {
        fault.remove();
      }
      expect((await call(t, 'GET', path)).status).toBe(404);
    });
  }
});
