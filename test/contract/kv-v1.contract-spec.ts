import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { call, describeTargets, mountKv, uniq } from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

describeTargets('KV v1 and LIST', kind => {
  let t: VaultTarget;
  let m: string;
  beforeAll(async () => {
    t = await startTarget(kind);
    m = uniq('kv1');
    await mountKv(t, m, 1);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('writes with 204, reads the secret itself with the default 768h lease_duration', async () => {
    const p = uniq('app');
    const put = await call(t, 'PUT', `${m}/${p}`, { body: { USER: 'u', PASS: 'p' } });
    expect(put.status).toBe(204);
    expect(put.text).toBe('');
    const read = await call(t, 'GET', `${m}/${p}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      data: { USER: 'u', PASS: 'p' },
      lease_duration: 2764800,
      renewable: false,
    });
  });

  it('replaces the whole secret on POST', async () => {
    const p = uniq('app');
    await call(t, 'PUT', `${m}/${p}`, { body: { a: '1', b: '2' } });
    expect((await call(t, 'POST', `${m}/${p}`, { body: { c: '3' } })).status).toBe(204);
    expect((await call(t, 'GET', `${m}/${p}`)).body.data).toEqual({ c: '3' });
  });

  it('deletes with 204 and then reads 404 {"errors":[]}', async () => {
    const p = uniq('gone');
    await call(t, 'PUT', `${m}/${p}`, { body: { a: '1' } });
    const del = await call(t, 'DELETE', `${m}/${p}`);
    expect(del.status).toBe(204);
    const read = await call(t, 'GET', `${m}/${p}`);
    expect(read.status).toBe(404);
    expect(read.body).toEqual({ errors: [] });
  });

  it('lists with the LIST verb and GET ?list=true alike; folders end in /', async () => {
    const dir = uniq('dir');
    await call(t, 'PUT', `${m}/${dir}/b`, { body: { a: '1' } });
    await call(t, 'PUT', `${m}/${dir}/a/deep`, { body: { a: '1' } });
    const verb = await call(t, 'LIST', `${m}/${dir}`);
    const query = await call(t, 'GET', `${m}/${dir}/?list=true`);
    expect(verb.status).toBe(200);
    expect(verb.body.data).toEqual({ keys: ['a/', 'b'] });
    expect(query.status).toBe(200);
    expect(query.body.data).toEqual(verb.body.data);
  });

  it('answers 404 {"errors":[]} to a list of an empty or missing folder', async () => {
    const dir = uniq('empty');
    await call(t, 'PUT', `${m}/${dir}/only`, { body: { a: '1' } });
    await call(t, 'DELETE', `${m}/${dir}/only`);
    for (const path of [`${m}/${dir}`, `${m}/${uniq('never')}`]) {
      const verb = await call(t, 'LIST', path);
      expect(verb.status).toBe(404);
      expect(verb.body).toEqual({ errors: [] });
      const query = await call(t, 'GET', `${path}?list=true`);
      expect(query.status).toBe(404);
      expect(query.body).toEqual({ errors: [] });
    }
  });

  it('lists KV v2 metadata with both forms too', async () => {
    const dir = uniq('v2dir');
    await call(t, 'POST', `secret/data/${dir}/x`, { body: { data: { a: 1 } } });
    const verb = await call(t, 'LIST', `secret/metadata/${dir}`);
    const query = await call(t, 'GET', `secret/metadata/${dir}?list=true`);
    expect(verb.body.data).toEqual({ keys: ['x'] });
    expect(query.body.data).toEqual({ keys: ['x'] });
  });
});
