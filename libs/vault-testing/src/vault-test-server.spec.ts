/** VaultTestServer itself: listening, root token, restart and stop, request stats, latency. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { VaultTestServer } from './vault-test-server.js';
import { call, startCoreServer } from './vault-test-server.spec-helpers.js';

describe('VaultTestServer core', () => {
  let server: VaultTestServer;

  beforeAll(async () => {
    server = await startCoreServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('listens on 127.0.0.1 with an ephemeral port and generates a root token when none is given', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    const other = await VaultTestServer.start();
    try {
      expect(other.rootToken).toMatch(/^hvs\.[A-Za-z0-9]{24}$/);
      expect((await call(other, 'GET', 'auth/token/lookup-self')).body.data.policies).toEqual([
        'root',
      ]);
    } finally {
      await other.stop();
    }
  });

  it('keeps its data and port across restart and leaves no open sockets after stop', async () => {
    const own = await VaultTestServer.start({ rootToken: 'root' });
    await call(own, 'POST', 'secret/data/kept', { body: { data: { v: 'yes' } } });
    const port = own.port;
    await own.restart();
    expect(own.port).toBe(port);
    const fresh = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        `${own.url}/v1/secret/data/kept`,
        { headers: { 'X-Vault-Token': 'root' }, agent: false },
        res => {
          let text = '';
          res.on('data', c => (text += String(c)));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(fresh).data.data).toEqual({ v: 'yes' });
    // A keep-alive connection left open by fetch must not keep stop() waiting.
    await call(own, 'GET', 'sys/health');
    await own.stop();
    await expect(fetch(`${own.url}/v1/sys/health`)).rejects.toThrow();
    await own.stop();
  });

  it('counts requests in the API and on /__test/stats, which needs the root token', async () => {
    server.resetStats();
    await call(server, 'GET', 'secret/data/core/app');
    await call(server, 'GET', 'secret/data/core/app');
    await call(server, 'LIST', 'secret/metadata/');
    expect(server.stats()).toEqual({
      total: 3,
      byRoute: { 'GET /v1/secret/data/core/app': 2, 'LIST /v1/secret/metadata/': 1 },
    });
    expect((await fetch(`${server.url}/__test/stats`)).status).toBe(403);
    const http = await fetch(`${server.url}/__test/stats`, {
      headers: { 'X-Vault-Token': 'root' },
    });
    expect(await http.json()).toEqual(server.stats());
    const reset = await fetch(`${server.url}/__test/stats/reset`, {
      method: 'POST',
      headers: { 'X-Vault-Token': 'root' },
    });
    expect(reset.status).toBe(204);
    expect(server.stats().total).toBe(0);
  });

  it('adds configured latency to /v1 requests', async () => {
    server.setLatency(120);
    const started = Date.now();
    await call(server, 'GET', 'sys/health');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    server.setLatency(0);
  });
});
