/** Response wrapping: X-Vault-Wrap-TTL, sys/wrapping/lookup and unwrap, against every target. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import {
  call,
  createToken,
  describeTargets,
  enableAuth,
  kv2Write,
  putPolicy,
  RFC3339,
  uniq,
} from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

const NOT_VALID = { errors: ['wrapping token is not valid or does not exist'] };
const WRAPPED_ENVELOPE = {
  request_id: '',
  lease_id: '',
  renewable: false,
  lease_duration: 0,
  data: null,
  warnings: null,
  auth: null,
};

describeTargets('response wrapping', kind => {
  let t: VaultTarget;
  let role: string;
  beforeAll(async () => {
    t = await startTarget(kind);
    await enableAuth(t, 'approle', 'approle');
    role = uniq('wrapped');
    await call(t, 'POST', `auth/approle/role/${role}`, { body: { token_policies: ['default'] } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const wrapHeader = (ttl: string) => ({ headers: { 'X-Vault-Wrap-TTL': ttl } });

  it('wraps a secret ID: wrap_info only, then lookup (no token) and one unwrap', async () => {
    const wrapped = await call(t, 'POST', `auth/approle/role/${role}/secret-id`, {
      body: {},
      ...wrapHeader('5m'),
    });
    expect(wrapped.status).toBe(200);
    expect(wrapped.body).toMatchObject(WRAPPED_ENVELOPE);
    const info = wrapped.body.wrap_info;
    expect(info).toEqual({
      token: expect.any(String),
      accessor: expect.any(String),
      ttl: 300,
      creation_time: expect.stringMatching(RFC3339),
      creation_path: `auth/approle/role/${role}/secret-id`,
      wrapped_accessor: expect.any(String),
    });
    const lookup = await call(t, 'POST', 'sys/wrapping/lookup', {
      token: null,
      body: { token: info.token },
    });
    expect(lookup.status).toBe(200);
    expect(lookup.body.data).toEqual({
      creation_path: `auth/approle/role/${role}/secret-id`,
      creation_time: info.creation_time,
      creation_ttl: 300,
    });
    const unwrapped = await call(t, 'POST', 'sys/wrapping/unwrap', { token: info.token, body: {} });
    expect(unwrapped.status).toBe(200);
    expect(unwrapped.body.request_id).toEqual(expect.any(String));
    expect(unwrapped.body.request_id).not.toBe('');
    expect(unwrapped.body.data).toEqual({
      secret_id: expect.any(String),
      secret_id_accessor: info.wrapped_accessor,
      secret_id_num_uses: 0,
      secret_id_ttl: 0,
    });
    // Used up: a second unwrap and a lookup are both refused, as is the token for anything else.
    const again = await call(t, 'POST', 'sys/wrapping/unwrap', { token: info.token, body: {} });
    expect(again.status).toBe(400);
    expect(again.body).toEqual(NOT_VALID);
    const late = await call(t, 'POST', 'sys/wrapping/lookup', {
      token: null,
      body: { token: info.token },
    });
    expect(late.status).toBe(400);
    expect(late.body).toEqual(NOT_VALID);
  });

  it('a wrapping token is single use: any other request spends it', async () => {
    await kv2Write(t, 'secret', 'wrapped/app', { KEY: 'v' });
    const wrapped = await call(t, 'GET', 'secret/data/wrapped/app', wrapHeader('120'));
    expect(wrapped.body.wrap_info).toEqual({
      token: expect.any(String),
      accessor: expect.any(String),
      ttl: 120,
      creation_time: expect.stringMatching(RFC3339),
      creation_path: 'secret/data/wrapped/app',
    });
    const token = wrapped.body.wrap_info.token as string;
    // A lookup (even with the token as the request's token) does not spend it...
    expect((await call(t, 'POST', 'sys/wrapping/lookup', { token, body: {} })).status).toBe(200);
    // ...anything else does, even when denied.
    const self = await call(t, 'GET', 'auth/token/lookup-self', { token });
    expect(self.status).toBe(403);
    expect(self.body).toEqual({ errors: ['1 error occurred:\n\t* permission denied\n\n'] });
    expect((await call(t, 'GET', 'secret/data/wrapped/app', { token })).status).toBe(403);
    const gone = await call(t, 'POST', 'sys/wrapping/unwrap', { token, body: {} });
    expect(gone.status).toBe(400);
    expect(gone.body).toEqual(NOT_VALID);
  });

  it('unwraps with the token in the body only for a caller allowed to; no token is refused', async () => {
    const wrapped = await call(t, 'GET', 'secret/data/wrapped/app', wrapHeader('2m'));
    const token = wrapped.body.wrap_info.token as string;
    const noToken = await call(t, 'POST', 'sys/wrapping/unwrap', { token: null, body: {} });
    expect(noToken.status).toBe(403);
    expect(noToken.body).toEqual({ errors: ['error validating wrapping token: token is empty'] });
    const bodyOnly = await call(t, 'POST', 'sys/wrapping/unwrap', { token: null, body: { token } });
    expect(bodyOnly.status).toBe(403);
    expect(bodyOnly.body).toEqual({ errors: ['permission denied'] });
    const garbage = await call(t, 'POST', 'sys/wrapping/unwrap', { token: 'garbage', body: {} });
    expect(garbage.status).toBe(400);
    expect(garbage.body).toEqual(NOT_VALID);
    // Any token allowed by the default policy may unwrap with the wrapping token in the body.
    const policy = uniq('nothing');
    await putPolicy(t, policy, 'path "secret/data/none" { capabilities = ["read"] }');
    const caller = await createToken(t, { policies: [policy] });
    const unwrapped = await call(t, 'POST', 'sys/wrapping/unwrap', {
      token: caller,
      body: { token },
    });
    expect(unwrapped.status).toBe(200);
    expect(unwrapped.body.data.data).toEqual({ KEY: 'v' });
  });

  it('wraps a login (wrapped_accessor: the token inside); no body, nothing to wrap', async () => {
    const mount = uniq('up');
    await enableAuth(t, mount, 'userpass');
    await call(t, 'POST', `auth/${mount}/users/ci`, { body: { password: 'pw-ci-1' } });
    const wrapped = await call(t, 'POST', `auth/${mount}/login/ci`, {
      token: null,
      body: { password: 'pw-ci-1' },
      ...wrapHeader('1m'),
    });
    expect(wrapped.status).toBe(200);
    expect(wrapped.body.auth).toBeNull();
    const info = wrapped.body.wrap_info;
    const unwrapped = await call(t, 'POST', 'sys/wrapping/unwrap', { token: info.token, body: {} });
    expect(unwrapped.body.auth).toMatchObject({
      accessor: info.wrapped_accessor,
      metadata: { username: 'ci' },
    });
    const policy = await call(t, 'PUT', `sys/policies/acl/${uniq('p')}`, {
      body: { policy: 'path "x" { capabilities = ["read"] }' },
      ...wrapHeader('1m'),
    });
    expect(policy.status).toBe(204);
  });

  it('an unparsable X-Vault-Wrap-TTL is a 400', async () => {
    const res = await call(t, 'GET', 'secret/data/wrapped/app', wrapHeader('soon'));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: ['error parsing X-Vault-Wrap-TTL header: time: invalid duration "soon"'],
    });
  });
});
