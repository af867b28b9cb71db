import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { VaultTestServer } from '../vault-test-server.js';

describe('fault injection', () => {
  let server: VaultTestServer;
  const headers = { 'X-Vault-Token': 'root' };
  const get = (path: string) => fetch(`${server.url}${path}`, { headers });

  beforeAll(async () => {
    server = await VaultTestServer.start({ rootToken: 'root' });
    await fetch(`${server.url}/v1/secret/data/f/ok`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ data: { v: 1 } }),
    });
  });
  afterEach(() => server.faults.clear());
  afterAll(async () => {
    await server.stop();
  });

  it('answers an injected status with a custom body and headers, then the normal answer once removed', async () => {
    const fault = server.faults.inject({
      path: '/v1/secret/data/f/*',
      status: 500,
      body: { errors: ['boom'] },
      headers: { 'X-Fault': 'yes' },
    });
    const res = await get('/v1/secret/data/f/ok');
    expect(res.status).toBe(500);
    expect(res.headers.get('x-fault')).toBe('yes');
    expect(await res.json()).toEqual({ errors: ['boom'] });
    expect(fault.hits).toBe(1);
    fault.remove();
    expect((await get('/v1/secret/data/f/ok')).status).toBe(200);
  });

  it('matches methods and RegExp paths, and fires only `times` times', async () => {
    server.faults.inject({ path: /\/f\/ok$/, method: 'POST', status: 503, times: 1 });
    expect((await get('/v1/secret/data/f/ok')).status).toBe(200);
    const post = () =>
      fetch(`${server.url}/v1/secret/data/f/ok`, {
        method: 'POST',
        headers,
        body: '{"data":{"v":2}}',
      });
    expect((await post()).status).toBe(503);
    expect((await post()).status).toBe(200);
    expect(server.faults.list()).toHaveLength(0);
  });

  it('answers 429 with Retry-After and Vault’s rate-limit body', async () => {
    server.faults.inject({ path: '/v1/secret/data/f/ok', status: 429, retryAfterS: 4 });
    const res = await get('/v1/secret/data/f/ok');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('4');
    expect(await res.json()).toEqual({
      errors: ['request path "secret/data/f/ok": rate limit quota exceeded'],
    });
  });

  it('delays the normal answer by latencyMs', async () => {
    server.faults.inject({ path: '/v1/secret/data/f/ok', latencyMs: 150 });
    const started = Date.now();
    const res = await get('/v1/secret/data/f/ok');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('resets the connection without an answer', async () => {
    server.faults.inject({ path: '/v1/secret/data/f/ok', reset: true });
    await expect(get('/v1/secret/data/f/ok')).rejects.toThrow();
  });

  it('answers 200 with a body that is not JSON', async () => {
    server.faults.inject({ path: '/v1/secret/data/f/ok', malformed: 'invalid-json' });
    const res = await get('/v1/secret/data/f/ok');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow();
  });

  it('cuts the body short of its Content-Length', async () => {
    server.faults.inject({ path: '/v1/secret/data/f/ok', malformed: 'truncated' });
    const outcome = await new Promise<{ declared: number; got: number; aborted: boolean }>(
      resolve => {
        const req = httpRequest(
          `${server.url}/v1/secret/data/f/ok`,
          { headers, agent: false },
          res => {
            let got = 0;
            const declared = Number(res.headers['content-length']);
            res.on('data', (c: Buffer) => (got += c.length));
            res.on('aborted', () => resolve({ declared, got, aborted: true }));
            res.on('error', () => resolve({ declared, got, aborted: true }));
            res.on('end', () => resolve({ declared, got, aborted: false }));
          },
        );
        req.on('error', () => resolve({ declared: 0, got: 0, aborted: true }));
        req.end();
      },
    );
    expect(outcome.aborted).toBe(true);
    expect(outcome.got).toBeLessThan(outcome.declared);
  });

  it('is managed over HTTP on /__test/faults with the root token only', async () => {
    const denied = await fetch(`${server.url}/__test/faults`, {
      method: 'POST',
      body: '{"path":"/v1/*"}',
    });
    expect(denied.status).toBe(403);
    const invalid = await fetch(`${server.url}/__test/faults`, {
      method: 'POST',
      headers,
      body: '{"status":1}',
    });
    expect(invalid.status).toBe(400);
    const created = await fetch(`${server.url}/__test/faults`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ path: '/v1/secret/data/f/*', status: 502 }),
    });
    const { id } = (await created.json()) as { id: string };
    expect((await get('/v1/secret/data/f/ok')).status).toBe(502);
    expect(
      (await fetch(`${server.url}/__test/faults/${id}`, { method: 'DELETE', headers })).status,
    ).toBe(204);
    expect((await get('/v1/secret/data/f/ok')).status).toBe(200);
    await fetch(`${server.url}/__test/faults`, {
      method: 'POST',
      headers,
      body: '{"path":"/v1/*","status":500}',
    });
    expect((await fetch(`${server.url}/__test/faults`, { method: 'DELETE', headers })).status).toBe(
      204,
    );
    expect((await get('/v1/secret/data/f/ok')).status).toBe(200);
  });

  it('still counts faulted requests in the stats', async () => {
    server.resetStats();
    server.faults.inject({ path: '/v1/secret/data/f/ok', status: 500, times: 1 });
    await get('/v1/secret/data/f/ok');
    await get('/v1/secret/data/f/ok');
    expect(server.stats().byRoute['GET /v1/secret/data/f/ok']).toBe(2);
  });

  it('stops promptly while a fault is delaying a request', async () => {
    const own = await VaultTestServer.start({ rootToken: 'root' });
    own.faults.inject({ path: '/v1/*', latencyMs: 60_000 });
    const pending = fetch(`${own.url}/v1/sys/health`).catch(() => 'failed');
    await new Promise(r => setTimeout(r, 50));
    const started = Date.now();
    await own.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBe('failed');
  });
});
