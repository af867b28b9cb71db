import { afterAll, beforeAll, expect, it } from '@jest/globals';
import {
  call,
  createToken,
  describeTargets,
  mountKv,
  putPolicy,
  uniq,
} from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

describeTargets('sys/mounts and KV version detection', kind => {
  let t: VaultTarget;
  beforeAll(async () => {
    t = await startTarget(kind);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('lists the dev server mounts, secret/ as KV v2, at the top level and under data', async () => {
    const res = await call(t, 'GET', 'sys/mounts');
    expect(res.status).toBe(200);
    expect(res.body.data['secret/']).toMatchObject({ type: 'kv', options: { version: '2' } });
    expect(res.body['secret/']).toMatchObject({ type: 'kv', options: { version: '2' } });
    expect(res.body.data['sys/']).toMatchObject({ type: 'system' });
    expect(res.body.data['cubbyhole/']).toMatchObject({ type: 'cubbyhole' });
  });

  it('enables, reports and disables a KV v1 mount; enabling twice is 400', async () => {
    const name = uniq('legacy');
    const enable = await call(t, 'POST', `sys/mounts/${name}`, {
      body: { type: 'kv', options: { version: '1' } },
    });
    expect(enable.status).toBe(204);
    const again = await call(t, 'POST', `sys/mounts/${name}`, {
      body: { type: 'kv', options: { version: '1' } },
    });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ errors: [`path is already in use at ${name}/`] });
    const list = await call(t, 'GET', 'sys/mounts');
    expect(list.body.data[`${name}/`]).toMatchObject({ type: 'kv', options: { version: '1' } });
    expect((await call(t, 'DELETE', `sys/mounts/${name}`)).status).toBe(204);
    expect((await call(t, 'GET', 'sys/mounts')).body.data).not.toHaveProperty(`${name}/`);
  });

  it('answers sys/internal/ui/mounts/<path> with the mount and its KV version', async () => {
    const v1 = uniq('v1');
    await mountKv(t, v1, 1);
    for (const [path, mount, version] of [
      [`${v1}`, `${v1}/`, '1'],
      [`${v1}/deep/path`, `${v1}/`, '1'],
      ['secret/apps/x', 'secret/', '2'],
    ]) {
      const res = await call(t, 'GET', `sys/internal/ui/mounts/${path}`);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ path: mount, type: 'kv', options: { version } });
    }
  });

  it('lets a token with any grant under the mount read its ui/mounts entry, and no other', async () => {
    const m = uniq('det');
    await mountKv(t, m, 2);
    const policy = uniq('p');
    await putPolicy(t, policy, `path "${m}/data/app/*" { capabilities = ["read"] }`);
    const token = await createToken(t, { policies: [policy] });
    const own = await call(t, 'GET', `sys/internal/ui/mounts/${m}`, { token });
    expect(own.status).toBe(200);
    expect(own.body.data).toMatchObject({ path: `${m}/`, type: 'kv', options: { version: '2' } });
    const other = await call(t, 'GET', 'sys/internal/ui/mounts/secret', { token });
    expect(other.status).toBe(403);
    expect(other.body.errors[0]).toContain('preflight capability check returned 403');
    const anonymous = await call(t, 'GET', `sys/internal/ui/mounts/${m}`, { token: null });
    expect(anonymous.status).toBe(403);
  });
});
