import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import nodeVault from 'node-vault';
import { VaultTestServer } from './index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function call(
  server: VaultTestServer,
  method: string,
  path: string,
  o: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  const token = o.token === undefined ? server.rootToken : o.token;
  if (token !== null) headers['X-Vault-Token'] = token;
  const body =
    o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  const res = await fetch(`${server.url}/v1/${path}`, { method, headers, body });
  const text = await res.text();
  let json: Json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: json };
}

describe('VaultTestServer core', () => {
  let server: VaultTestServer;

  beforeAll(async () => {
    server = await VaultTestServer.start({ rootToken: 'root' });
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

  it('writes and reads KV v2 with Vault’s envelope, versions and check-and-set', async () => {
    const write = await call(server, 'POST', 'secret/data/core/app', {
      body: { data: { a: '1' } },
    });
    expect(write.status).toBe(200);
    expect(Object.keys(write.body).sort()).toEqual(
      [
        'auth',
        'data',
        'lease_duration',
        'lease_id',
        'mount_type',
        'renewable',
        'request_id',
        'warnings',
        'wrap_info',
      ].sort(),
    );
    expect(write.body.data).toMatchObject({
      version: 1,
      destroyed: false,
      deletion_time: '',
      custom_metadata: null,
    });
    await call(server, 'POST', 'secret/data/core/app', {
      body: { options: { cas: 1 }, data: { a: '2' } },
    });
    const cas = await call(server, 'POST', 'secret/data/core/app', {
      body: { options: { cas: 1 }, data: { a: '3' } },
    });
    expect(cas.status).toBe(400);
    expect(cas.body).toEqual({
      errors: ['check-and-set parameter did not match the current version'],
    });
    const latest = await call(server, 'GET', 'secret/data/core/app');
    expect(latest.body.data).toMatchObject({ data: { a: '2' }, metadata: { version: 2 } });
    const v1 = await call(server, 'GET', 'secret/data/core/app?version=1');
    expect(v1.body.data.data).toEqual({ a: '1' });
    expect((await call(server, 'GET', 'secret/data/core/app?version=9')).body).toEqual({
      errors: [],
    });
  });

  it('patches with merge-patch only, soft-deletes, undeletes and destroys versions', async () => {
    await call(server, 'POST', 'secret/data/core/patch', {
      body: { data: { a: 1, nested: { x: 1, y: 2 } } },
    });
    const wrongType = await call(server, 'PATCH', 'secret/data/core/patch', {
      body: { data: { b: 2 } },
    });
    expect(wrongType.status).toBe(415);
    const patched = await call(server, 'PATCH', 'secret/data/core/patch', {
      body: { data: { b: 2, nested: { y: null } } },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(patched.body.data.version).toBe(2);
    expect((await call(server, 'GET', 'secret/data/core/patch')).body.data.data).toEqual({
      a: 1,
      b: 2,
      nested: { x: 1 },
    });

    expect((await call(server, 'DELETE', 'secret/data/core/patch')).status).toBe(204);
    const deleted = await call(server, 'GET', 'secret/data/core/patch');
    expect(deleted.status).toBe(404);
    expect(deleted.body.data.data).toBeNull();
    expect(deleted.body.data.metadata.deletion_time).not.toBe('');
    await call(server, 'POST', 'secret/undelete/core/patch', { body: { versions: [2] } });
    expect((await call(server, 'GET', 'secret/data/core/patch')).status).toBe(200);
    expect(
      (await call(server, 'PUT', 'secret/destroy/core/patch', { body: { versions: [1, 2] } }))
        .status,
    ).toBe(204);
    const destroyed = await call(server, 'GET', 'secret/data/core/patch');
    expect(destroyed.status).toBe(404);
    expect(destroyed.body.data.metadata.destroyed).toBe(true);
    const meta = await call(server, 'GET', 'secret/metadata/core/patch');
    expect(meta.body.data.versions['1'].destroyed).toBe(true);
  });

  it('keeps max_versions, answers subkeys, and lists with the LIST verb and ?list=true', async () => {
    expect(
      (await call(server, 'POST', 'secret/metadata/core/few', { body: { max_versions: 2 } }))
        .status,
    ).toBe(204);
    for (let i = 1; i <= 4; i++)
      await call(server, 'POST', 'secret/data/core/few', {
        body: { data: { i, deep: { k: 'v' } } },
      });
    const meta = await call(server, 'GET', 'secret/metadata/core/few');
    expect(Object.keys(meta.body.data.versions)).toEqual(['3', '4']);
    expect(meta.body.data).toMatchObject({
      current_version: 4,
      oldest_version: 3,
      max_versions: 2,
    });
    const sub = await call(server, 'GET', 'secret/subkeys/core/few');
    expect(sub.body.data.subkeys).toEqual({ i: null, deep: { k: null } });
    const verb = await call(server, 'LIST', 'secret/metadata/core');
    const query = await call(server, 'GET', 'secret/metadata/core/?list=true');
    expect(verb.body.data.keys).toEqual(expect.arrayContaining(['app', 'few', 'patch']));
    expect(query.body.data.keys).toEqual(verb.body.data.keys);
    expect((await call(server, 'LIST', 'secret/metadata/nothing-here')).body).toEqual({
      errors: [],
    });
    const stats = server.stats();
    expect(stats.byRoute['LIST /v1/secret/metadata/core']).toBe(1);
    expect(stats.byRoute['LIST /v1/secret/metadata/core/']).toBe(1);
  });

  it('enforces cas_required from the mount config', async () => {
    await call(server, 'POST', 'sys/mounts/strict', {
      body: { type: 'kv', options: { version: '2' } },
    });
    await call(server, 'POST', 'strict/config', { body: { cas_required: true } });
    const res = await call(server, 'POST', 'strict/data/x', { body: { data: { a: 1 } } });
    expect(res.body).toEqual({ errors: ['check-and-set parameter required for this call'] });
    expect(
      (
        await call(server, 'POST', 'strict/data/x', {
          body: { options: { cas: 0 }, data: { a: 1 } },
        })
      ).status,
    ).toBe(200);
    expect((await call(server, 'GET', 'strict/config')).body.data).toEqual({
      cas_required: true,
      delete_version_after: '0s',
      max_versions: 0,
    });
  });

  it('serves KV v1 and reports each mount’s version for client detection', async () => {
    expect(
      (
        await call(server, 'POST', 'sys/mounts/old', {
          body: { type: 'kv', options: { version: '1' } },
        })
      ).status,
    ).toBe(204);
    const again = await call(server, 'POST', 'sys/mounts/old', { body: { type: 'kv' } });
    expect(again.body).toEqual({ errors: ['path is already in use at old/'] });
    expect((await call(server, 'PUT', 'old/db', { body: { password: 'pw' } })).status).toBe(204);
    const read = await call(server, 'GET', 'old/db');
    expect(read.body).toMatchObject({ data: { password: 'pw' }, lease_duration: 2764800 });
    expect((await call(server, 'GET', 'old/none')).body).toEqual({ errors: [] });
    const ui = await call(server, 'GET', 'sys/internal/ui/mounts/old/db');
    expect(ui.body.data).toMatchObject({ path: 'old/', type: 'kv', options: { version: '1' } });
    const mounts = await call(server, 'GET', 'sys/mounts');
    expect(mounts.body['secret/']).toMatchObject({ type: 'kv', options: { version: '2' } });
    expect(Object.keys(mounts.body.data)).toEqual(
      expect.arrayContaining(['secret/', 'cubbyhole/', 'sys/', 'identity/', 'old/']),
    );
    expect((await call(server, 'DELETE', 'sys/mounts/old')).status).toBe(204);
    expect((await call(server, 'GET', 'old/db')).status).toBe(404);
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

  it('accepts Authorization: Bearer and answers sys/capabilities-self', async () => {
    await call(server, 'PUT', 'sys/policies/acl/reader', {
      body: { policy: 'path "secret/data/core/*" { capabilities = ["read", "list"] }' },
    });
    const token = (
      await call(server, 'POST', 'auth/token/create', { body: { policies: ['reader'] } })
    ).body.auth.client_token;
    const res = await call(server, 'GET', 'secret/data/core/app', {
      token: null,
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const denied = await call(server, 'POST', 'secret/data/core/app', {
      token,
      body: { data: { a: 1 } },
    });
    expect(denied.body).toEqual({ errors: ['1 error occurred:\n\t* permission denied\n\n'] });
    const caps = await call(server, 'POST', 'sys/capabilities-self', {
      token,
      body: { paths: ['secret/data/core/app', 'secret/data/other'] },
    });
    expect(caps.body.data).toEqual({
      'secret/data/core/app': ['list', 'read'],
      'secret/data/other': ['deny'],
    });
    expect((await call(server, 'GET', 'sys/policies/acl/reader')).body.data.name).toBe('reader');
    expect((await call(server, 'LIST', 'sys/policies/acl')).body.data.keys).toEqual([
      'default',
      'reader',
      'root',
    ]);
    const broken = await call(server, 'PUT', 'sys/policies/acl/broken', {
      body: { policy: 'path "x" {' },
    });
    expect(broken.status).toBe(400);
  });

  it('answers sys/health for every state and query override, and seals/unseals', async () => {
    expect((await call(server, 'GET', 'sys/health', { token: null })).body).toMatchObject({
      initialized: true,
      sealed: false,
      standby: false,
    });
    expect((await call(server, 'GET', 'sys/health?activecode=299')).status).toBe(299);
    expect((await fetch(`${server.url}/v1/sys/health`, { method: 'HEAD' })).status).toBe(200);
    server.setHealthMode('standby');
    expect((await call(server, 'GET', 'sys/health')).status).toBe(429);
    expect((await call(server, 'GET', 'sys/health?standbyok=true')).status).toBe(200);
    server.setHealthMode('performance-standby');
    expect((await call(server, 'GET', 'sys/health')).status).toBe(473);
    expect((await call(server, 'GET', 'sys/health?perfstandbyok=true')).status).toBe(200);
    server.setHealthMode('dr-secondary');
    expect((await call(server, 'GET', 'sys/health')).status).toBe(472);
    server.setHealthMode('uninitialized');
    expect((await call(server, 'GET', 'sys/health?uninitcode=200')).status).toBe(200);
    expect((await call(server, 'GET', 'sys/health')).status).toBe(501);
    server.setHealthMode('active');

    expect((await call(server, 'PUT', 'sys/seal')).status).toBe(204);
    expect((await call(server, 'GET', 'secret/data/core/app')).body).toEqual({
      errors: ['Vault is sealed'],
    });
    expect((await call(server, 'GET', 'sys/health')).status).toBe(503);
    expect((await call(server, 'GET', 'sys/health?sealedcode=200')).status).toBe(200);
    expect((await call(server, 'GET', 'sys/seal-status')).body).toMatchObject({
      sealed: true,
      t: 1,
      n: 1,
    });
    expect((await call(server, 'PUT', 'sys/unseal', { body: { key: 'wrong' } })).status).toBe(400);
    const unsealed = await call(server, 'PUT', 'sys/unseal', { body: { key: server.unsealKey } });
    expect(unsealed.body).toMatchObject({ sealed: false });
    server.seal();
    expect((await call(server, 'GET', 'sys/mounts')).status).toBe(503);
    server.unseal();
    expect((await call(server, 'GET', 'sys/mounts')).status).toBe(200);
  });

  it('works with node-vault 0.12 for KV v2 writes and reads', async () => {
    const client = nodeVault({ endpoint: server.url, token: server.rootToken, apiVersion: 'v1' });
    await client.write('secret/data/core/node-vault', { data: { user: 'nv', n: 1 } });
    const read = (await client.read('secret/data/core/node-vault')) as Json;
    expect(read.data.data).toEqual({ user: 'nv', n: 1 });
    const list = (await client.list('secret/metadata/core')) as Json;
    expect(list.data.keys).toContain('node-vault');
    await expect(client.read('secret/data/core/absent')).rejects.toMatchObject({
      response: { statusCode: 404 },
    });
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
