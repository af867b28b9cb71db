/** Hostile and broken input: malformed JSON, unknown routes, huge bodies, prototype keys. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import type { VaultTestServer } from './vault-test-server.js';
import { call, startCoreServer } from './vault-test-server.spec-helpers.js';

describe('VaultTestServer core', () => {
  let server: VaultTestServer;

  beforeAll(async () => {
    server = await startCoreServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers bad input like Vault and never crashes', async () => {
    const malformed = await call(server, 'POST', 'secret/data/bad', { body: '{"data": {' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0]).toMatch(/^failed to decode JSON input/);
    const array = await call(server, 'POST', 'secret/data/bad', { body: '[1,2]' });
    expect(array.status).toBe(400);
    const unknown = await call(server, 'GET', 'nowhere/at/all');
    expect(unknown.body).toEqual({
      errors: ['no handler for route "nowhere/at/all". route entry not found.'],
    });
    expect((await call(server, 'PATCH', 'sys/health')).status).toBe(405);
    expect((await call(server, 'LIST', 'secret/data/')).status).toBe(405);
    expect((await call(server, 'GET', 'secret/data/x', { token: 'no-such-token' })).body).toEqual({
      errors: ['permission denied'],
    });
    expect((await call(server, 'GET', 'secret/data/x', { token: null })).status).toBe(403);
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    expect(
      (await call(server, 'POST', 'secret/data/deep', { body: `{"data":{"a":${deep}}}` })).status,
    ).toBe(400);
    expect((await call(server, 'GET', 'sys/health')).status).toBe(200);
  });

  it('refuses bodies over 32 MiB with 413', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/v1/secret/data/huge`, {
        method: 'POST',
        headers: { 'X-Vault-Token': 'root', 'Content-Length': String(33 * 1024 * 1024) },
      });
      req.on('response', res => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"data":');
    });
    expect(status).toBe(413);
  });

  it('stores __proto__ and constructor keys as plain data without polluting anything', async () => {
    const raw =
      '{"data":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"x":1}},"ok":"1"}}';
    expect((await call(server, 'POST', 'secret/data/proto', { body: raw })).status).toBe(200);
    const read = await call(server, 'GET', 'secret/data/proto');
    expect(read.text).toContain('"__proto__":{"polluted":"yes"}');
    expect(Object.keys(read.body.data.data).sort()).toEqual(['__proto__', 'constructor', 'ok']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const patch = await call(server, 'PATCH', 'secret/data/proto', {
      body: '{"data":{"__proto__":{"more":"x"}}}',
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(patch.status).toBe(200);
    expect(({} as Record<string, unknown>).more).toBeUndefined();
  });
});
