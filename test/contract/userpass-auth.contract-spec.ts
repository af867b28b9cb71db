/** Userpass auth: users, passwords, logins, the same requests against every target. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { call, describeTargets, enableAuth, putPolicy, uniq } from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

const INVALID = { errors: ['invalid username or password'] };

describeTargets('userpass auth', kind => {
  let t: VaultTarget;
  let mount: string;
  let policy: string;
  beforeAll(async () => {
    t = await startTarget(kind);
    mount = uniq('up');
    policy = uniq('up-read');
    await enableAuth(t, mount, 'userpass');
    await putPolicy(t, policy, 'path "secret/data/up/*" { capabilities = ["read"] }');
  });
  afterAll(async () => {
    await t?.stop();
  });

  const login = (user: string, body: unknown) =>
    call(t, 'POST', `auth/${mount}/login/${user}`, { token: null, body });

  it('creates a user (name lower-cased), reads it back without the password, lists it', async () => {
    const write = await call(t, 'POST', `auth/${mount}/users/Alice`, {
      body: {
        password: 'first-pw',
        token_policies: [policy],
        token_ttl: '30s',
        token_max_ttl: '1m',
      },
    });
    expect(write.status).toBe(204);
    const read = await call(t, 'GET', `auth/${mount}/users/alice`);
    expect(read.status).toBe(200);
    expect(read.body.data).toEqual({
      token_bound_cidrs: [],
      token_explicit_max_ttl: 0,
      token_max_ttl: 60,
      token_no_default_policy: false,
      token_num_uses: 0,
      token_period: 0,
      token_policies: [policy],
      token_strictly_bind_ip: false,
      token_ttl: 30,
      token_type: 'default',
    });
    expect((await call(t, 'LIST', `auth/${mount}/users`)).body.data.keys).toEqual(['alice']);
    expect((await call(t, 'GET', `auth/${mount}/users/nobody`)).status).toBe(404);
    const noPassword = await call(t, 'POST', `auth/${mount}/users/bob`, { body: {} });
    expect(noPassword.status).toBe(400);
    expect(noPassword.body).toEqual({ errors: ['must provide either password or password_hash'] });
  });

  it('logs in with the password (any case of the name): the user’s policies and TTL', async () => {
    for (const name of ['alice', 'ALICE']) {
      const res = await login(name, { password: 'first-pw' });
      expect(res.status).toBe(200);
      expect(res.body.auth).toMatchObject({
        policies: ['default', policy].sort(),
        metadata: { username: 'alice' },
        lease_duration: 30,
        renewable: true,
        orphan: true,
        token_type: 'service',
      });
    }
  });

  it('refuses a wrong password or an unknown user alike; a missing password is a 500', async () => {
    expect(await login('alice', { password: 'wrong' })).toMatchObject({
      status: 400,
      body: INVALID,
    });
    expect(await login('mallory', { password: 'first-pw' })).toMatchObject({
      status: 400,
      body: INVALID,
    });
    const missing = await login('alice', {});
    expect(missing.status).toBe(500);
    expect(missing.body).toEqual({ errors: ['missing password'] });
  });

  it('changes the password and the policies; the old password stops working', async () => {
    expect(
      (
        await call(t, 'POST', `auth/${mount}/users/alice/password`, {
          body: { password: 'second-pw' },
        })
      ).status,
    ).toBe(204);
    expect((await login('alice', { password: 'first-pw' })).body).toEqual(INVALID);
    expect((await login('alice', { password: 'second-pw' })).status).toBe(200);
    const policies = await call(t, 'POST', `auth/${mount}/users/alice/policies`, {
      body: { token_policies: `${policy},extra` },
    });
    expect(policies.status).toBe(204);
    // Sorted, as Vault sanitises policy lists.
    expect((await call(t, 'GET', `auth/${mount}/users/alice`)).body.data.token_policies).toEqual(
      ['extra', policy].sort(),
    );
    expect((await call(t, 'DELETE', `auth/${mount}/users/alice`)).status).toBe(204);
    expect((await login('alice', { password: 'second-pw' })).body).toEqual(INVALID);
  });
});
