import { afterAll, beforeAll, expect, it } from '@jest/globals';
import {
  call,
  describeTargets,
  enableAuth,
  kv2Write,
  PERMISSION_DENIED_BODY,
  putPolicy,
  uniq,
} from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

const INVALID = { errors: ['invalid role or secret ID'] };

describeTargets('AppRole', kind => {
  let t: VaultTarget;
  let policy: string;
  let dir: string;
  beforeAll(async () => {
    t = await startTarget(kind);
    await enableAuth(t, 'approle', 'approle');
    policy = uniq('ar');
    dir = uniq('ar');
    await putPolicy(t, policy, `path "secret/data/${dir}/*" { capabilities = ["read"] }`);
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function role(body: Record<string, unknown>): Promise<{ name: string; roleId: string }> {
    const name = uniq('role');
    expect((await call(t, 'POST', `auth/approle/role/${name}`, { body })).status).toBe(204);
    const rid = await call(t, 'GET', `auth/approle/role/${name}/role-id`);
    expect(rid.status).toBe(200);
    return { name, roleId: rid.body.data.role_id };
  }

  it('refuses to enable approle twice', async () => {
    const res = await call(t, 'POST', 'sys/auth/approle', { body: { type: 'approle' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: ['path is already in use at approle/'] });
  });

  it('creates a role, reads it back, issues role-id and secret-id', async () => {
    const { name, roleId } = await role({
      token_policies: [policy],
      token_ttl: '1h',
      token_max_ttl: '4h',
    });
    expect(roleId).toMatch(/^[0-9a-f-]{36}$/);
    const read = await call(t, 'GET', `auth/approle/role/${name}`);
    expect(read.body.data).toMatchObject({
      token_policies: [policy],
      token_ttl: 3600,
      token_max_ttl: 14400,
      bind_secret_id: true,
    });
    const sid = await call(t, 'POST', `auth/approle/role/${name}/secret-id`, { body: {} });
    expect(sid.status).toBe(200);
    expect(sid.body.data).toEqual({
      secret_id: expect.any(String),
      secret_id_accessor: expect.any(String),
      secret_id_num_uses: 0,
      secret_id_ttl: 0,
    });
    const missing = await call(t, 'GET', `auth/approle/role/${uniq('nope')}/role-id`);
    expect(missing.status).toBe(404);
  });

  it('logs in with a fixed role-id and custom secret-id; the token carries the role policies', async () => {
    const { name } = await role({ token_policies: [policy], token_ttl: '1h', token_max_ttl: '4h' });
    const roleId = uniq('fixed-role');
    expect(
      (await call(t, 'POST', `auth/approle/role/${name}/role-id`, { body: { role_id: roleId } }))
        .status,
    ).toBe(204);
    const secretId = uniq('fixed-secret');
    const custom = await call(t, 'POST', `auth/approle/role/${name}/custom-secret-id`, {
      body: { secret_id: secretId },
    });
    expect(custom.status).toBe(200);
    expect(custom.body.data.secret_id).toBe(secretId);
    const login = await call(t, 'POST', 'auth/approle/login', {
      token: null,
      body: { role_id: roleId, secret_id: secretId },
    });
    expect(login.status).toBe(200);
    expect(login.body.auth).toMatchObject({
      client_token: expect.any(String),
      policies: ['default', policy].sort(),
      token_policies: ['default', policy].sort(),
      metadata: { role_name: name },
      lease_duration: 3600,
      renewable: true,
      token_type: 'service',
      orphan: true,
    });
    const token = login.body.auth.client_token as string;
    await kv2Write(t, 'secret', `${dir}/x`, { v: 1 });
    expect((await call(t, 'GET', `secret/data/${dir}/x`, { token })).body.data.data).toEqual({
      v: 1,
    });
    const other = await call(t, 'GET', 'secret/data/not-granted', { token });
    expect(other.status).toBe(403);
    expect(other.body).toEqual(PERMISSION_DENIED_BODY);
    const self = await call(t, 'GET', 'auth/token/lookup-self', { token });
    expect(self.body.data).toMatchObject({ path: 'auth/approle/login', meta: { role_name: name } });
  });

  it('answers 400 invalid role or secret ID to a wrong secret or role id', async () => {
    const { name, roleId } = await role({ token_policies: [policy] });
    const secretId = (await call(t, 'POST', `auth/approle/role/${name}/secret-id`, { body: {} }))
      .body.data.secret_id as string;
    const wrongSecret = await call(t, 'POST', 'auth/approle/login', {
      token: null,
      body: { role_id: roleId, secret_id: 'wrong' },
    });
    expect(wrongSecret.status).toBe(400);
    expect(wrongSecret.body).toEqual(INVALID);
    const wrongRole = await call(t, 'POST', 'auth/approle/login', {
      token: null,
      body: { role_id: 'wrong', secret_id: secretId },
    });
    expect(wrongRole.status).toBe(400);
    expect(wrongRole.body).toEqual(INVALID);
    const noSecret = await call(t, 'POST', 'auth/approle/login', {
      token: null,
      body: { role_id: roleId },
    });
    expect(noSecret.status).toBe(400);
    expect(noSecret.body).toEqual({ errors: ['missing secret_id'] });
  });

  it('spends secret_id_num_uses: after N logins the secret id is invalid', async () => {
    const { name, roleId } = await role({ token_policies: [policy], secret_id_num_uses: 2 });
    const sid = await call(t, 'POST', `auth/approle/role/${name}/secret-id`, { body: {} });
    expect(sid.body.data.secret_id_num_uses).toBe(2);
    const body = { role_id: roleId, secret_id: sid.body.data.secret_id };
    expect((await call(t, 'POST', 'auth/approle/login', { token: null, body })).status).toBe(200);
    expect((await call(t, 'POST', 'auth/approle/login', { token: null, body })).status).toBe(200);
    const third = await call(t, 'POST', 'auth/approle/login', { token: null, body });
    expect(third.status).toBe(400);
    expect(third.body).toEqual(INVALID);
  });
});
