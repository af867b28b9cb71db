import { afterAll, beforeAll, expect, it } from '@jest/globals';
import {
  call,
  describeTargets,
  kv2Write,
  mountKv,
  RFC3339,
  uniq,
} from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

const MERGE_PATCH = { 'Content-Type': 'application/merge-patch+json' };

describeTargets('KV v2', kind => {
  let t: VaultTarget;
  let m: string;
  beforeAll(async () => {
    t = await startTarget(kind);
    m = uniq('kv2');
    await mountKv(t, m, 2);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('writes versions, answers the new metadata, reads latest and ?version=N', async () => {
    const p = uniq('app');
    const w1 = await kv2Write(t, m, p, { A: '1', nested: { deep: true } });
    expect(w1.body.data).toEqual({
      created_time: expect.stringMatching(RFC3339),
      custom_metadata: null,
      deletion_time: '',
      destroyed: false,
      version: 1,
    });
    await kv2Write(t, m, p, { A: '2' });
    const latest = await call(t, 'GET', `${m}/data/${p}`);
    expect(latest.status).toBe(200);
    expect(latest.body.data.data).toEqual({ A: '2' });
    expect(latest.body.data.metadata).toMatchObject({
      version: 2,
      deletion_time: '',
      destroyed: false,
    });
    const v1 = await call(t, 'GET', `${m}/data/${p}?version=1`);
    expect(v1.body.data.data).toEqual({ A: '1', nested: { deep: true } });
    expect(v1.body.data.metadata.version).toBe(1);
    const v9 = await call(t, 'GET', `${m}/data/${p}?version=9`);
    expect(v9.status).toBe(404);
    expect(v9.body).toEqual({ errors: [] });
  });

  it('enforces check-and-set: mismatch and cas=0 on an existing key are 400', async () => {
    const p = uniq('cas');
    const first = await call(t, 'POST', `${m}/data/${p}`, {
      body: { options: { cas: 0 }, data: { a: 1 } },
    });
    expect(first.status).toBe(200);
    for (const cas of [0, 5]) {
      const res = await call(t, 'POST', `${m}/data/${p}`, {
        body: { options: { cas }, data: { a: 2 } },
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        errors: ['check-and-set parameter did not match the current version'],
      });
    }
    const ok = await call(t, 'PUT', `${m}/data/${p}`, {
      body: { options: { cas: 1 }, data: { a: 2 } },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.data.version).toBe(2);
  });

  it('requires cas when the key metadata sets cas_required, and keeps custom_metadata', async () => {
    const p = uniq('casreq');
    const meta = await call(t, 'POST', `${m}/metadata/${p}`, {
      body: { cas_required: true, custom_metadata: { owner: 'team-a' } },
    });
    expect(meta.status).toBe(204);
    const noCas = await call(t, 'POST', `${m}/data/${p}`, { body: { data: { a: 1 } } });
    expect(noCas.status).toBe(400);
    expect(noCas.body).toEqual({ errors: ['check-and-set parameter required for this call'] });
    const withCas = await call(t, 'POST', `${m}/data/${p}`, {
      body: { options: { cas: 0 }, data: { a: 1 } },
    });
    expect(withCas.status).toBe(200);
    expect(withCas.body.data.custom_metadata).toEqual({ owner: 'team-a' });
    const read = await call(t, 'GET', `${m}/data/${p}`);
    expect(read.body.data.metadata.custom_metadata).toEqual({ owner: 'team-a' });
  });

  it('requires cas everywhere when the mount config sets cas_required', async () => {
    const mount = uniq('kvcfg');
    await mountKv(t, mount, 2);
    const set = await call(t, 'POST', `${mount}/config`, {
      body: { cas_required: true, max_versions: 3, delete_version_after: '1h' },
    });
    expect(set.status).toBe(204);
    const cfg = await call(t, 'GET', `${mount}/config`);
    expect(cfg.status).toBe(200);
    expect(cfg.body.data).toMatchObject({
      cas_required: true,
      max_versions: 3,
      delete_version_after: '1h0m0s',
    });
    const res = await call(t, 'POST', `${mount}/data/x`, { body: { data: { a: 1 } } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: ['check-and-set parameter required for this call'] });
  });

  it('reads the default mount config', async () => {
    const res = await call(t, 'GET', `${m}/config`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      cas_required: false,
      delete_version_after: '0s',
      max_versions: 0,
    });
  });

  it('PATCHes with a JSON merge patch into a new version', async () => {
    const p = uniq('patch');
    await kv2Write(t, m, p, { keep: 'k', drop: 'd', obj: { x: 1, y: 2 } });
    const res = await call(t, 'PATCH', `${m}/data/${p}`, {
      raw: JSON.stringify({ data: { drop: null, add: 'a', obj: { y: null, z: 3 } } }),
      headers: MERGE_PATCH,
    });
    expect(res.status).toBe(200);
    expect(res.body.data.version).toBe(2);
    const read = await call(t, 'GET', `${m}/data/${p}`);
    expect(read.body.data.data).toEqual({ keep: 'k', add: 'a', obj: { x: 1, z: 3 } });
  });

  it('rejects PATCH with another content type (415) and on a missing key (404)', async () => {
    const p = uniq('patch');
    await kv2Write(t, m, p, { a: 1 });
    const wrong = await call(t, 'PATCH', `${m}/data/${p}`, { body: { data: { a: 2 } } });
    expect(wrong.status).toBe(415);
    expect(wrong.body).toEqual({
      errors: [
        'PATCH requires Content-Type of application/merge-patch+json, provided application/json',
      ],
    });
    const missing = await call(t, 'PATCH', `${m}/data/${uniq('nope')}`, {
      raw: JSON.stringify({ data: { a: 2 } }),
      headers: MERGE_PATCH,
    });
    expect(missing.status).toBe(404);
  });

  it('reads, lists and deletes metadata', async () => {
    const dir = uniq('dir');
    await kv2Write(t, m, `${dir}/one`, { a: 1 });
    await kv2Write(t, m, `${dir}/one`, { a: 2 });
    await kv2Write(t, m, `${dir}/sub/two`, { a: 1 });
    const meta = await call(t, 'GET', `${m}/metadata/${dir}/one`);
    expect(meta.status).toBe(200);
    expect(meta.body.data).toMatchObject({
      cas_required: false,
      created_time: expect.stringMatching(RFC3339),
      current_version: 2,
      custom_metadata: null,
      delete_version_after: '0s',
      max_versions: 0,
      oldest_version: 0,
      updated_time: expect.stringMatching(RFC3339),
    });
    expect(Object.keys(meta.body.data.versions).sort()).toEqual(['1', '2']);
    expect(meta.body.data.versions['1']).toEqual({
      created_time: expect.stringMatching(RFC3339),
      deletion_time: '',
      destroyed: false,
    });
    const list = await call(t, 'LIST', `${m}/metadata/${dir}`);
    expect(list.status).toBe(200);
    expect(list.body.data.keys).toEqual(['one', 'sub/']);
    const del = await call(t, 'DELETE', `${m}/metadata/${dir}/one`);
    expect(del.status).toBe(204);
    expect((await call(t, 'GET', `${m}/metadata/${dir}/one`)).status).toBe(404);
    expect((await call(t, 'GET', `${m}/data/${dir}/one?version=1`)).status).toBe(404);
  });

  it('trims versions beyond max_versions on the next write, oldest first', async () => {
    const p = uniq('mv');
    for (let i = 1; i <= 3; i++) await kv2Write(t, m, p, { i });
    expect(
      (await call(t, 'POST', `${m}/metadata/${p}`, { body: { max_versions: 2 } })).status,
    ).toBe(204);
    await kv2Write(t, m, p, { i: 4 });
    const meta = await call(t, 'GET', `${m}/metadata/${p}`);
    expect(meta.body.data).toMatchObject({
      max_versions: 2,
      current_version: 4,
      oldest_version: 3,
    });
    expect(Object.keys(meta.body.data.versions).sort()).toEqual(['3', '4']);
    expect((await call(t, 'GET', `${m}/data/${p}?version=1`)).status).toBe(404);
    expect((await call(t, 'GET', `${m}/data/${p}?version=3`)).body.data.data).toEqual({ i: 3 });
  });

  it('soft-deletes, undeletes and destroys; deleted/destroyed reads are 404 with metadata', async () => {
    const p = uniq('del');
    await kv2Write(t, m, p, { v: 1 });
    await kv2Write(t, m, p, { v: 2 });
    expect((await call(t, 'DELETE', `${m}/data/${p}`)).status).toBe(204);
    const deleted = await call(t, 'GET', `${m}/data/${p}`);
    expect(deleted.status).toBe(404);
    expect(deleted.body.data).toEqual({
      data: null,
      metadata: {
        created_time: expect.stringMatching(RFC3339),
        custom_metadata: null,
        deletion_time: expect.stringMatching(RFC3339),
        destroyed: false,
        version: 2,
      },
    });
    expect(deleted.body).toHaveProperty('request_id');

    const undel = await call(t, 'POST', `${m}/undelete/${p}`, { body: { versions: [2] } });
    expect(undel.status).toBe(204);
    expect((await call(t, 'GET', `${m}/data/${p}`)).body.data.data).toEqual({ v: 2 });

    expect((await call(t, 'POST', `${m}/delete/${p}`, { body: { versions: [1] } })).status).toBe(
      204,
    );
    const v1 = await call(t, 'GET', `${m}/data/${p}?version=1`);
    expect(v1.status).toBe(404);
    expect(v1.body.data.metadata.deletion_time).toMatch(RFC3339);

    expect((await call(t, 'PUT', `${m}/destroy/${p}`, { body: { versions: [2] } })).status).toBe(
      204,
    );
    const destroyed = await call(t, 'GET', `${m}/data/${p}`);
    expect(destroyed.status).toBe(404);
    expect(destroyed.body.data.data).toBeNull();
    expect(destroyed.body.data.metadata).toMatchObject({
      destroyed: true,
      deletion_time: '',
      version: 2,
    });

    const meta = await call(t, 'GET', `${m}/metadata/${p}`);
    expect(meta.body.data.versions['1'].deletion_time).toMatch(RFC3339);
    expect(meta.body.data.versions['2']).toMatchObject({ destroyed: true });
  });

  it('answers subkeys with nulls for leaves, honouring depth; missing is 404', async () => {
    const p = uniq('sub');
    await kv2Write(t, m, p, { a: { b: { c: 1 } }, d: 'x' });
    const full = await call(t, 'GET', `${m}/subkeys/${p}`);
    expect(full.status).toBe(200);
    expect(full.body.data.subkeys).toEqual({ a: { b: { c: null } }, d: null });
    expect(full.body.data.metadata).toMatchObject({ version: 1, destroyed: false });
    const shallow = await call(t, 'GET', `${m}/subkeys/${p}?depth=1`);
    expect(shallow.body.data.subkeys).toEqual({ a: null, d: null });
    const missing = await call(t, 'GET', `${m}/subkeys/${uniq('nope')}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ errors: [] });
  });

  it('stores keys like __proto__ as plain data', async () => {
    const p = uniq('proto');
    const raw = '{"data":{"__proto__":{"polluted":"yes"},"constructor":"c","a.b":"dotted"}}';
    expect((await call(t, 'POST', `${m}/data/${p}`, { raw })).status).toBe(200);
    const read = await call(t, 'GET', `${m}/data/${p}`);
    expect(read.text).toContain('"__proto__":{"polluted":"yes"}');
    expect(read.body.data.data['a.b']).toBe('dotted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
