import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { call, describeTargets, enableAuth, uniq } from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

describeTargets('sys/leases', kind => {
  let t: VaultTarget;
  beforeAll(async () => {
    t = await startTarget(kind);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers unknown leases: lookup 400 invalid lease, renew 400 lease not found, revoke 204', async () => {
    const id = `secret/creds/${uniq('nope')}`;
    const lookup = await call(t, 'PUT', 'sys/leases/lookup', { body: { lease_id: id } });
    expect(lookup.status).toBe(400);
    expect(lookup.body).toEqual({ errors: ['invalid lease'] });
    const renew = await call(t, 'PUT', 'sys/leases/renew', { body: { lease_id: id } });
    expect(renew.status).toBe(400);
    expect(renew.body).toEqual({ errors: ['lease not found'] });
    const revoke = await call(t, 'PUT', 'sys/leases/revoke', { body: { lease_id: id } });
    expect(revoke.status).toBe(204);
  });

  it('tracks the lease of an AppRole login token: list, lookup, revoke', async () => {
    await enableAuth(t, 'approle', 'approle');
    const role = uniq('role');
    await call(t, 'POST', `auth/approle/role/${role}`, { body: { token_ttl: '1h' } });
    const roleId = (await call(t, 'GET', `auth/approle/role/${role}/role-id`)).body.data.role_id;
    const secretId = (await call(t, 'POST', `auth/approle/role/${role}/secret-id`, { body: {} }))
      .body.data.secret_id;
    const login = await call(t, 'POST', 'auth/approle/login', {
      token: null,
      body: { role_id: roleId, secret_id: secretId },
    });
    const token = login.body.auth.client_token as string;

    // Vault names token leases `auth/<mount>/login/<salted token hash>`; list them to find it.
    const list = await call(t, 'LIST', 'sys/leases/lookup/auth/approle/login');
    expect(list.status).toBe(200);
    expect(list.body.data.keys).toHaveLength(1);
    const leaseId = `auth/approle/login/${list.body.data.keys[0]}`;
    const lookup = await call(t, 'PUT', 'sys/leases/lookup', { body: { lease_id: leaseId } });
    expect(lookup.status).toBe(200);
    expect(lookup.body.data).toMatchObject({
      id: leaseId,
      issue_time: expect.stringMatching(/^\d{4}-/),
      expire_time: expect.stringMatching(/^\d{4}-/),
      last_renewal: null,
      renewable: true,
    });
    expect(lookup.body.data.ttl).toBeGreaterThan(3500);
    const renew = await call(t, 'PUT', 'sys/leases/renew', { body: { lease_id: leaseId } });
    expect(renew.status).toBe(400);
    expect(renew.body).toEqual({ errors: ['tokens cannot be renewed through this endpoint'] });

    expect(
      (await call(t, 'PUT', 'sys/leases/revoke', { body: { lease_id: leaseId } })).status,
    ).toBe(204);
    const after = await call(t, 'PUT', 'sys/leases/lookup', { body: { lease_id: leaseId } });
    expect(after.status).toBe(400);
    expect(after.body).toEqual({ errors: ['invalid lease'] });
    expect((await call(t, 'GET', 'auth/token/lookup-self', { token })).status).toBe(403);
  });
});
