import { afterAll, beforeAll, expect, it } from '@jest/globals';
import nodeVault from 'node-vault';
import {
  call,
  describeTargets,
  enableAuth,
  mountKv,
  putPolicy,
  uniq,
} from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

describeTargets('third-party clients: node-vault 0.12 and raw fetch', kind => {
  let t: VaultTarget;
  let kv1: string;
  let roleId: string;
  let secretId: string;
  let policy: string;
  beforeAll(async () => {
    t = await startTarget(kind);
    kv1 = uniq('legacy');
    await mountKv(t, kv1, 1);
    await enableAuth(t, 'approle', 'approle');
    policy = uniq('clients');
    await putPolicy(t, policy, 'path "secret/data/clients/*" { capabilities = ["read"] }');
    const role = uniq('role');
    await call(t, 'POST', `auth/approle/role/${role}`, {
      body: { token_policies: [policy], token_ttl: '10m' },
    });
    roleId = (await call(t, 'GET', `auth/approle/role/${role}/role-id`)).body.data.role_id;
    secretId = (await call(t, 'POST', `auth/approle/role/${role}/secret-id`, { body: {} })).body
      .data.secret_id;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('node-vault writes and reads KV v2, reads KV v1, and maps a 404 to an ApiResponseError', async () => {
    const client = nodeVault({ apiVersion: 'v1', endpoint: t.url, token: t.rootToken });
    const path = `clients/${uniq('nv')}`;
    const written = await client.write(`secret/data/${path}`, { data: { DB: 'postgres://x' } });
    expect(written.data.version).toBe(1);
    const read = await client.read(`secret/data/${path}`);
    expect(read.data.data).toEqual({ DB: 'postgres://x' });
    await client.write(`${kv1}/app`, { LEVEL: 'debug' });
    const v1 = await client.read(`${kv1}/app`);
    expect(v1.data).toEqual({ LEVEL: 'debug' });
    expect(v1.lease_duration).toBe(2764800);
    const listed = await client.list(`secret/metadata/clients`);
    expect(listed.data.keys).toContain(path.slice('clients/'.length));
    await expect(client.read(`secret/data/${uniq('missing')}`)).rejects.toMatchObject({
      response: { statusCode: 404 },
    });
  });

  it('node-vault logs in with AppRole, adopts the token, and is denied outside its policy', async () => {
    const path = `clients/${uniq('ar')}`;
    await call(t, 'POST', `secret/data/${path}`, { body: { data: { K: 'v' } } });
    const client = nodeVault({ apiVersion: 'v1', endpoint: t.url });
    const login = await client.approleLogin({ role_id: roleId, secret_id: secretId });
    expect(login.auth.policies).toEqual(['default', policy].sort());
    expect(client.token).toBe(login.auth.client_token);
    expect((await client.read(`secret/data/${path}`)).data.data).toEqual({ K: 'v' });
    await expect(client.read('secret/data/not-granted')).rejects.toMatchObject({
      message: expect.stringContaining('permission denied'),
      response: { statusCode: 403 },
    });
  });

  it('raw fetch writes and reads KV v2, reads KV v1 and logs in with AppRole', async () => {
    const path = `clients/${uniq('fetch')}`;
    const headers = { 'X-Vault-Token': t.rootToken, 'Content-Type': 'application/json' };
    const write = await fetch(`${t.url}/v1/secret/data/${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ data: { A: '1' } }),
    });
    expect(write.status).toBe(200);
    const read = await fetch(`${t.url}/v1/secret/data/${path}`, { headers });
    expect(((await read.json()) as { data: { data: unknown } }).data.data).toEqual({ A: '1' });
    await fetch(`${t.url}/v1/${kv1}/raw`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ B: '2' }),
    });
    const v1 = await fetch(`${t.url}/v1/${kv1}/raw`, { headers });
    expect(((await v1.json()) as { data: unknown }).data).toEqual({ B: '2' });
    const login = await fetch(`${t.url}/v1/auth/approle/login`, {
      method: 'POST',
      body: JSON.stringify({ role_id: roleId, secret_id: secretId }),
    });
    expect(login.status).toBe(200);
    const token = ((await login.json()) as { auth: { client_token: string } }).auth.client_token;
    const own = await fetch(`${t.url}/v1/secret/data/${path}`, {
      headers: { 'X-Vault-Token': token },
    });
    expect(own.status).toBe(200);
  });
});
