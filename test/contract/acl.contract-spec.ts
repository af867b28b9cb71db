import { afterAll, beforeAll, expect, it } from '@jest/globals';
import {
  call,
  createToken,
  describeTargets,
  kv2Write,
  PERMISSION_DENIED_BODY,
  putPolicy,
  uniq,
} from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

describeTargets('ACL policies', kind => {
  let t: VaultTarget;
  beforeAll(async () => {
    t = await startTarget(kind);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('puts, reads, lists and deletes an HCL policy', async () => {
    const name = uniq('hcl');
    const hcl = 'path "secret/data/a/*" {\n  capabilities = ["read", "list"]\n}\n';
    await putPolicy(t, name, hcl);
    const read = await call(t, 'GET', `sys/policies/acl/${name}`);
    expect(read.status).toBe(200);
    expect(read.body.data).toMatchObject({ name, policy: hcl });
    const list = await call(t, 'LIST', 'sys/policies/acl');
    expect(list.body.data.keys).toEqual(expect.arrayContaining(['default', name, 'root']));
    expect((await call(t, 'DELETE', `sys/policies/acl/${name}`)).status).toBe(204);
    const gone = await call(t, 'GET', `sys/policies/acl/${name}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ errors: [] });
  });

  it('accepts a JSON policy and enforces it', async () => {
    const name = uniq('json');
    const dir = uniq('j');
    const policy = JSON.stringify({
      path: { [`secret/data/${dir}/*`]: { capabilities: ['read'] } },
    });
    await putPolicy(t, name, policy);
    expect((await call(t, 'GET', `sys/policies/acl/${name}`)).body.data.policy).toBe(policy);
    await kv2Write(t, 'secret', `${dir}/x`, { a: 1 });
    const token = await createToken(t, { policies: [name] });
    expect((await call(t, 'GET', `secret/data/${dir}/x`, { token })).status).toBe(200);
    expect(
      (await call(t, 'POST', `secret/data/${dir}/x`, { token, body: { data: { a: 2 } } })).status,
    ).toBe(403);
  });

  it('rejects an unparsable policy with 400 "failed to parse policy"', async () => {
    const res = await call(t, 'PUT', `sys/policies/acl/${uniq('bad')}`, {
      body: { policy: 'path "x" { capabilities = ' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatch(/^failed to parse policy/);
  });

  it('applies globs, + segments and deny-wins; capabilities-self reports them', async () => {
    const dir = uniq('acl');
    const name = uniq('p');
    await putPolicy(
      t,
      name,
      [
        `path "secret/data/${dir}/*" { capabilities = ["read", "list"] }`,
        `path "secret/data/${dir}/private/*" { capabilities = ["deny"] }`,
        `path "secret/data/${dir}/+/conf" { capabilities = ["create", "update"] }`,
      ].join('\n'),
    );
    const token = await createToken(t, { policies: [name] });
    const caps = await call(t, 'POST', 'sys/capabilities-self', {
      token,
      body: {
        paths: [
          `secret/data/${dir}/a`,
          `secret/data/${dir}/private/x`,
          `secret/data/${dir}/svc/conf`,
          'secret/data/elsewhere',
        ],
      },
    });
    expect(caps.status).toBe(200);
    expect(caps.body.data).toEqual({
      [`secret/data/${dir}/a`]: ['list', 'read'],
      [`secret/data/${dir}/private/x`]: ['deny'],
      [`secret/data/${dir}/svc/conf`]: ['create', 'update'],
      'secret/data/elsewhere': ['deny'],
    });
    await kv2Write(t, 'secret', `${dir}/private/x`, { a: 1 });
    const denied = await call(t, 'GET', `secret/data/${dir}/private/x`, { token });
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual(PERMISSION_DENIED_BODY);
    const plus = await call(t, 'POST', `secret/data/${dir}/svc/conf`, {
      token,
      body: { data: { a: 1 } },
    });
    expect(plus.status).toBe(200);
    const twoSegments = await call(t, 'POST', `secret/data/${dir}/a/b/conf`, {
      token,
      body: { data: { a: 1 } },
    });
    expect(twoSegments.status).toBe(403);
    expect(twoSegments.body).toEqual(PERMISSION_DENIED_BODY);
  });

  it('answers capabilities-self for the root token and for a single `path`', async () => {
    const root = await call(t, 'POST', 'sys/capabilities-self', {
      body: { paths: ['secret/data/x'] },
    });
    expect(root.body.data).toMatchObject({ 'secret/data/x': ['root'], capabilities: ['root'] });
    const name = uniq('p');
    await putPolicy(t, name, 'path "secret/data/one" { capabilities = ["read"] }');
    const token = await createToken(t, { policies: [name] });
    const single = await call(t, 'POST', 'sys/capabilities-self', {
      token,
      body: { path: 'secret/data/one' },
    });
    expect(single.body.data).toEqual({ 'secret/data/one': ['read'], capabilities: ['read'] });
  });

  it('lists policies on the legacy sys/policy path', async () => {
    const res = await call(t, 'GET', 'sys/policy');
    expect(res.status).toBe(200);
    expect(res.body.data.policies).toEqual(expect.arrayContaining(['default', 'root']));
  });
});
