import { afterAll, beforeAll, expect, it } from '@jest/globals';
import {
  call,
  createToken,
  describeTargets,
  ENVELOPE_KEYS,
  kv2Write,
  PERMISSION_DENIED_BODY,
  putPolicy,
  uniq,
} from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

describeTargets('envelope, status codes and error bodies', kind => {
  let t: VaultTarget;
  beforeAll(async () => {
    t = await startTarget(kind);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('wraps a successful read in the full envelope with unused fields empty, not absent', async () => {
    const path = uniq('env');
    await kv2Write(t, 'secret', path, { a: '1' });
    const res = await call(t, 'GET', `secret/data/${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    for (const key of ENVELOPE_KEYS) expect(res.body).toHaveProperty(key);
    expect(res.body.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).toMatchObject({
      lease_id: '',
      renewable: false,
      lease_duration: 0,
      wrap_info: null,
      warnings: null,
      auth: null,
    });
    if (kind === 'bao') {
      // OpenBao differs from Vault: Vault adds `"mount_type": "kv"` to responses served by a mount
      // (vault/api Secret.MountType; api-docs/secret/kv/kv-v2 sample responses); OpenBao 2.7 omits it.
      expect(res.body).not.toHaveProperty('mount_type');
    } else {
      expect(res.body.mount_type).toBe('kv');
    }
  });

  it('answers 204 with an empty body for writes without a response', async () => {
    const name = uniq('pol');
    const put = await call(t, 'PUT', `sys/policies/acl/${name}`, {
      body: { policy: 'path "secret/data/x" { capabilities = ["read"] }' },
    });
    expect(put.status).toBe(204);
    expect(put.text).toBe('');
    const del = await call(t, 'DELETE', `sys/policies/acl/${name}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
  });

  it('denies a path outside the policy with 403 and exactly Vault’s body', async () => {
    const policy = uniq('p');
    await putPolicy(t, policy, 'path "secret/data/allowed/*" { capabilities = ["read"] }');
    const token = await createToken(t, { policies: [policy] });
    const res = await call(t, 'GET', `secret/data/${uniq('other')}`, { token });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(PERMISSION_DENIED_BODY);
  });

  it('answers 403 permission denied to a missing or unknown token', async () => {
    for (const token of [null, 'not-a-real-token']) {
      const res = await call(t, 'GET', 'auth/token/lookup-self', { token });
      expect(res.status).toBe(403);
      // Vault >= 1.16 also lists "invalid token" for an unknown token (docs: concepts/tokens
      // "Error responses"); OpenBao answers {"errors":["permission denied"]}. Both contain this:
      expect(res.body.errors.join('\n')).toContain('permission denied');
    }
  });

  it('accepts the token as Authorization: Bearer', async () => {
    const res = await call(t, 'GET', 'auth/token/lookup-self', {
      token: null,
      headers: { Authorization: `Bearer ${t.rootToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.policies).toEqual(['root']);
  });

  it('answers 404 {"errors":[]} for a missing secret', async () => {
    const res = await call(t, 'GET', `secret/data/${uniq('missing')}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [] });
  });

  it('answers 404 with a route error for a path no mount serves', async () => {
    const res = await call(t, 'GET', 'no-such-mount/x');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      errors: ['no handler for route "no-such-mount/x". route entry not found.'],
    });
  });

  it('answers 405 to a method the path does not support', async () => {
    const put = await call(t, 'PUT', 'sys/health', { body: {} });
    expect(put.status).toBe(405);
    expect(put.body).toEqual({ errors: [] });
    const list = await call(t, 'LIST', 'secret/data/');
    expect(list.status).toBe(405);
    expect(Array.isArray(list.body.errors)).toBe(true);
  });

  it('answers 400 to a malformed JSON body, naming the JSON decode failure', async () => {
    for (const raw of ['{"data":', 'not json']) {
      const res = await call(t, 'POST', `secret/data/${uniq('bad')}`, { raw });
      expect(res.status).toBe(400);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0]).toMatch(/^failed to decode JSON input: /);
    }
  });

  it('answers 400 to a KV v2 write without data', async () => {
    const res = await call(t, 'POST', `secret/data/${uniq('empty')}`, { body: {} });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: ['no data provided'] });
  });
});
