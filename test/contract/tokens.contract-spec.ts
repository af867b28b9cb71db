import { afterAll, beforeAll, expect, it } from '@jest/globals';
import {
  call,
  createToken,
  describeTargets,
  putPolicy,
  uniq,
} from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

describeTargets('token auth', kind => {
  let t: VaultTarget;
  let policy: string;
  beforeAll(async () => {
    t = await startTarget(kind);
    policy = uniq('p');
    await putPolicy(t, policy, 'path "secret/data/tok/*" { capabilities = ["read"] }');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('creates a token with policies, ttl, meta and num_uses; answers the auth block', async () => {
    const res = await call(t, 'POST', 'auth/token/create', {
      body: { policies: [policy], ttl: '1h', renewable: true, num_uses: 5, meta: { app: 'demo' } },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(res.body.auth).toEqual({
      client_token: expect.any(String),
      accessor: expect.any(String),
      policies: ['default', policy],
      token_policies: ['default', policy],
      metadata: { app: 'demo' },
      lease_duration: 3600,
      renewable: true,
      entity_id: '',
      token_type: 'service',
      orphan: false,
      mfa_requirement: null,
      num_uses: 5,
    });
    if (kind === 'bao') {
      // OpenBao differs from Vault: service tokens are `s.<24 chars>`; Vault >= 1.10 issues
      // `hvs.<...>` (docs: concepts/tokens#token-prefixes). Clients must treat both as opaque.
      expect(res.body.auth.client_token).toMatch(/^s\./);
    } else if (kind === 'memory') {
      expect(res.body.auth.client_token).toMatch(/^hvs\./);
    }
  });

  it('looks up self with every documented field', async () => {
    const token = await createToken(t, {
      policies: [policy],
      ttl: '1h',
      explicit_max_ttl: '2h',
      display_name: 'tst',
      meta: { app: 'x' },
    });
    const res = await call(t, 'GET', 'auth/token/lookup-self', { token });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      accessor: expect.any(String),
      creation_time: expect.any(Number),
      creation_ttl: 3600,
      display_name: 'token-tst',
      entity_id: '',
      expire_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      explicit_max_ttl: 7200,
      id: token,
      issue_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      meta: { app: 'x' },
      num_uses: 0,
      orphan: false,
      path: 'auth/token/create',
      policies: ['default', policy],
      renewable: true,
      type: 'service',
    });
    expect(res.body.data.ttl).toBeGreaterThan(3590);
    expect(res.body.data.ttl).toBeLessThanOrEqual(3600);
  });

  it('describes the root token: no TTL, policies ["root"]', async () => {
    const res = await call(t, 'GET', 'auth/token/lookup-self');
    expect(res.body.data).toMatchObject({
      id: t.rootToken,
      policies: ['root'],
      ttl: 0,
      expire_time: null,
      explicit_max_ttl: 0,
    });
  });

  it('caps renew-self at the max TTL and warns', async () => {
    const token = await createToken(t, { policies: [policy], ttl: '1h', explicit_max_ttl: '2h' });
    const res = await call(t, 'POST', 'auth/token/renew-self', {
      token,
      body: { increment: '3h' },
    });
    expect(res.status).toBe(200);
    expect(res.body.auth).toMatchObject({
      client_token: token,
      lease_duration: 7200,
      renewable: true,
    });
    expect(res.body.warnings).toEqual([
      'TTL of "3h" exceeded the effective max_ttl of "2h"; TTL value is capped accordingly',
    ]);
  });

  it('refuses to renew a non-renewable token with 400', async () => {
    const token = await createToken(t, { policies: [policy], ttl: '1h', renewable: false });
    const res = await call(t, 'POST', 'auth/token/renew-self', { token, body: {} });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: ['lease is not renewable'] });
  });

  it('revokes self with 204; the token is then refused with 403', async () => {
    const token = await createToken(t, { policies: [policy] });
    const res = await call(t, 'POST', 'auth/token/revoke-self', { token });
    expect(res.status).toBe(204);
    const after = await call(t, 'GET', 'auth/token/lookup-self', { token });
    expect(after.status).toBe(403);
    expect(after.body.errors.join('\n')).toContain('permission denied');
  });

  it('exhausts num_uses: the last use still works, the next is 403', async () => {
    const token = await createToken(t, { policies: [policy], num_uses: 2 });
    const first = await call(t, 'GET', 'auth/token/lookup-self', { token });
    expect(first.status).toBe(200);
    expect(first.body.data.num_uses).toBe(1);
    expect((await call(t, 'GET', 'auth/token/lookup-self', { token })).status).toBe(200);
    expect((await call(t, 'GET', 'auth/token/lookup-self', { token })).status).toBe(403);
  });

  it('expires a token at its TTL', async () => {
    const token = await createToken(t, { policies: [policy], ttl: '2s' });
    expect((await call(t, 'GET', 'auth/token/lookup-self', { token })).status).toBe(200);
    if (t.memory) t.memory.clock.advance(3000);
    else await new Promise(r => setTimeout(r, 2200));
    const res = await call(t, 'GET', 'auth/token/lookup-self', { token });
    expect(res.status).toBe(403);
  });

  it('creates a token with a fixed id (root only); a duplicate id is 400', async () => {
    const id = uniq('fixed-token');
    const res = await call(t, 'POST', 'auth/token/create', { body: { id, policies: [policy] } });
    expect(res.status).toBe(200);
    expect(res.body.auth.client_token).toBe(id);
    const again = await call(t, 'POST', 'auth/token/create', { body: { id, policies: [policy] } });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ errors: ['cannot create a token with a duplicate ID'] });
  });

  it('rejects an unparsable ttl with 400', async () => {
    const res = await call(t, 'POST', 'auth/token/create', { body: { ttl: 'abc' } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toContain('invalid duration');
  });
});
