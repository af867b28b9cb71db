/** Test-server-only: fault injection (latency, status, reset, bad bodies), in code and HTTP. */
import { expect, it } from '@jest/globals';
import { call, describeTargets, kv2Write, uniq } from '../support/contract-helpers.js';
import { memoryTargetHooks } from '../support/memory-target.js';
import type { MemoryServerControl, VaultTarget } from '../support/vault-target.js';

// Exists only on the in-memory server.
describeTargets(
  'test-server-only features',
  kind => {
    let t: VaultTarget;
    let mem: MemoryServerControl;
    const { url, headers } = memoryTargetHooks(kind, (target, memory) => {
      t = target;
      mem = memory;
    });

    it('injects latency, then answers normally', async () => {
      const path = `secret/data/${uniq('slow')}`;
      const fault = mem.faults.inject({ path: `/v1/${path}`, latencyMs: 200 });
      try {
        const started = Date.now();
        const res = await call(t, 'GET', path);
        expect(Date.now() - started).toBeGreaterThanOrEqual(190);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ errors: [] });
      } finally {
        fault.remove();
      }
    });

    it('injects a status with a body, only for the matching method', async () => {
      const path = uniq('boom');
      await kv2Write(t, 'secret', path, { a: 1 });
      const fault = mem.faults.inject({
        path: `/v1/secret/data/${path}`,
        method: 'GET',
        status: 500,
        body: { errors: ['injected failure'] },
      });
      try {
        const res = await call(t, 'GET', `secret/data/${path}`);
        expect(res.status).toBe(500);
        expect(res.body).toEqual({ errors: ['injected failure'] });
        const meta = await call(t, 'GET', `secret/metadata/${path}`);
        expect(meta.status).toBe(200);
        const write = await call(t, 'POST', `secret/data/${path}`, { body: { data: { a: 2 } } });
        expect(write.status).toBe(200);
      } finally {
        fault.remove();
      }
      expect((await call(t, 'GET', `secret/data/${path}`)).body.data.data).toEqual({ a: 2 });
    });

    it('resets the connection', async () => {
      const path = `secret/data/${uniq('reset')}`;
      const fault = mem.faults.inject({ path: `/v1/${path}`, reset: true });
      try {
        await expect(fetch(url(path), { headers: headers() })).rejects.toThrow();
      } finally {
        fault.remove();
      }
      expect((await call(t, 'GET', path)).status).toBe(404);
    });

    it('answers 200 with invalid JSON', async () => {
      const path = `secret/data/${uniq('badjson')}`;
      const fault = mem.faults.inject({ path: `/v1/${path}`, malformed: 'invalid-json' });
      try {
        const res = await fetch(url(path), { headers: headers() });
        expect(res.status).toBe(200);
        const text = await res.text();
        expect(() => JSON.parse(text)).toThrow();
      } finally {
        fault.remove();
      }
    });

    it('answers a body cut short of its Content-Length', async () => {
      const path = `secret/data/${uniq('trunc')}`;
      const fault = mem.faults.inject({ path: `/v1/${path}`, malformed: 'truncated' });
      try {
        // undici either rejects the short body or hands back fewer bytes than declared.
        // (Errors from Node's own fetch come from another realm: check the shape, not instanceof.)
        let declared = 0;
        let got: number | undefined;
        let failure = '';
        try {
          const res = await fetch(url(path), { headers: headers() });
          declared = Number(res.headers.get('content-length'));
          got = Buffer.byteLength(await res.text());
        } catch (err) {
          failure = String((err as { message?: unknown }).message);
        }
        if (got === undefined) expect(failure).toMatch(/terminated|closed|length/i);
        else expect(got).toBeLessThan(declared);
      } finally {
        fault.remove();
      }
    });

    it('answers 429 with Retry-After and Vault’s rate-limit body', async () => {
      const path = `secret/data/${uniq('limited')}`;
      const fault = mem.faults.inject({ path: `/v1/${path}`, status: 429, retryAfterS: 3 });
      try {
        const res = await call(t, 'GET', path);
        expect(res.status).toBe(429);
        expect(res.headers.get('retry-after')).toBe('3');
        expect(res.body).toEqual({ errors: [`request path "${path}": rate limit quota exceeded`] });
      } finally {
        fault.remove();
      }
    });

    it('fires a fault `times` times, then disappears; globs match many paths', async () => {
      const dir = uniq('times');
      mem.faults.inject({
        path: `/v1/secret/data/${dir}/*`,
        status: 503,
        body: { errors: ['flaky'] },
        times: 2,
      });
      expect((await call(t, 'GET', `secret/data/${dir}/a`)).status).toBe(503);
      expect((await call(t, 'GET', `secret/data/${dir}/b`)).status).toBe(503);
      expect((await call(t, 'GET', `secret/data/${dir}/a`)).status).toBe(404);
    });

    it('manages faults over HTTP on /__test/faults (root token only)', async () => {
      const path = `secret/data/${uniq('http-fault')}`;
      const denied = await fetch(`${t.url}/__test/faults`, {
        method: 'POST',
        body: JSON.stringify({ path: `/v1/${path}`, status: 502 }),
      });
      expect(denied.status).toBe(403);
      const created = await fetch(`${t.url}/__test/faults`, {
        method: 'POST',
        headers: { ...headers(), 'Content-Type': 'application/json' },
        body: JSON.stringify({
          path: `/v1/${path}`,
          status: 502,
          body: { errors: ['bad gateway'] },
        }),
      });
      expect(created.status).toBe(200);
      const { id } = (await created.json()) as { id: string };
      expect((await call(t, 'GET', path)).status).toBe(502);
      const removed = await fetch(`${t.url}/__test/faults/${id}`, {
        method: 'DELETE',
        headers: headers(),
      });
      expect(removed.status).toBeLessThan(300);
      expect((await call(t, 'GET', path)).status).toBe(404);
    });
  },
  ['memory'],
);
