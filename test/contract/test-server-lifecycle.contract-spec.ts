/** Test-server-only: data and port kept across restart; request counters (API, /__test/stats). */
import { get as httpGet } from 'node:http';
import { expect, it } from '@jest/globals';
import { call, describeTargets, kv2Write, uniq } from '../support/contract-helpers.js';
import { memoryTargetHooks } from '../support/memory-target.js';
import type { MemoryServerControl, VaultTarget } from '../support/vault-target.js';

/** GET on a new connection (no keep-alive pool). */
function freshGet(target: string, token: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpGet(target, { agent: false, headers: { 'X-Vault-Token': token } }, res => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', chunk => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
  });
}

// Exists only on the in-memory server.
describeTargets(
  'test-server-only features',
  kind => {
    let t: VaultTarget;
    let mem: MemoryServerControl;
    const { headers } = memoryTargetHooks(kind, (target, memory) => {
      t = target;
      mem = memory;
    });

    it('keeps its data and port across stop/restart', async () => {
      const path = uniq('durable');
      await kv2Write(t, 'secret', path, { kept: 'yes' });
      await mem.restart();
      // A fresh connection: pooled keep-alive sockets died with the old listener, as with a real restart.
      const read = await freshGet(`${t.url}/v1/secret/data/${path}`, t.rootToken);
      expect(read.status).toBe(200);
      expect(JSON.parse(read.text).data.data).toEqual({ kept: 'yes' });
      expect(mem.url).toBe(t.url);
    });

    it('counts requests by method and route, in the API and on /__test/stats', async () => {
      mem.resetStats();
      const path = uniq('counted');
      await kv2Write(t, 'secret', path, { a: 1 });
      await call(t, 'GET', `secret/data/${path}`);
      await call(t, 'GET', `secret/data/${path}`);
      await call(t, 'LIST', 'secret/metadata/');
      const stats = mem.stats();
      expect(stats.byRoute[`GET /v1/secret/data/${path}`]).toBe(2);
      expect(stats.byRoute[`POST /v1/secret/data/${path}`]).toBe(1);
      expect(stats.byRoute['LIST /v1/secret/metadata/']).toBe(1);
      expect(stats.total).toBe(4);
      const http = await fetch(`${t.url}/__test/stats`, { headers: headers() });
      expect(http.status).toBe(200);
      const body = (await http.json()) as { byRoute: Record<string, number> };
      expect(body.byRoute[`GET /v1/secret/data/${path}`]).toBe(2);
    });
  },
  ['memory'],
);
