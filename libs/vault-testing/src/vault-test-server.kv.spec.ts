/** KV v2 and KV v1 on the test server, over plain HTTP and through node-vault. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import nodeVault from 'node-vault';
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

  it('works with node-vault 0.12 for KV v2 writes and reads', async () => {
    const client = nodeVault({ endpoint: server.url, token: server.rootToken, apiVersion: 'v1' });
    await client.write('secret/data/core/node-vault', { data: { user: 'nv', n: 1 } });
    const read = await client.read('secret/data/core/node-vault');
    expect(read.data.data).toEqual({ user: 'nv', n: 1 });
    const list = await client.list('secret/metadata/core');
    expect(list.data.keys).toContain('node-vault');
    await expect(client.read('secret/data/core/absent')).rejects.toMatchObject({
      response: { statusCode: 404 },
    });
  });
});
