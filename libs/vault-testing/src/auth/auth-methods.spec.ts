import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestClock } from '../clock/test-clock.js';
import { VaultTestServer } from '../vault-test-server.js';
import { startReviewAnswerer } from './kubernetes/review-answerer.spec-helpers.js';

describe('tokens, AppRole and Kubernetes auth on the test clock', () => {
  let server: VaultTestServer;
  const clock = new TestClock({ start: Date.UTC(2030, 0, 1), frozen: true });

  async function call(
    method: string,
    path: string,
    o: { token?: string | null; body?: unknown } = {},
  ) {
    const headers: Record<string, string> = {};
    const token = o.token === undefined ? 'root' : o.token;
    if (token !== null) headers['X-Vault-Token'] = token;
    const res = await fetch(`${server.url}/v1/${path}`, {
      method,
      headers,
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
  const create = async (body: Record<string, unknown>, token?: string) =>
    (await call('POST', 'auth/token/create', { body, token })).body;

  beforeAll(async () => {
    server = await VaultTestServer.start({ rootToken: 'root', clock });
    await call('PUT', 'sys/policies/acl/app', {
      body: {
        policy:
          'path "secret/data/app/*" { capabilities = ["read"] }\npath "auth/token/create*" { capabilities = ["update"] }',
      },
    });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('creates tokens like Vault: default policy attached, warnings for unknown policies, auth block', async () => {
    const res = await create({
      policies: ['app', 'ghost'],
      ttl: '1h',
      meta: { team: 'a' },
      display_name: 'ci job',
    });
    expect(res.warnings).toEqual(['Policy "ghost" does not exist']);
    expect(res.auth).toMatchObject({
      policies: ['app', 'default', 'ghost'],
      metadata: { team: 'a' },
      lease_duration: 3600,
      renewable: true,
      token_type: 'service',
      orphan: false,
    });
    const self = await call('GET', 'auth/token/lookup-self', { token: res.auth.client_token });
    expect(self.body.data).toMatchObject({
      display_name: 'token-ci-job',
      ttl: 3600,
      creation_ttl: 3600,
      path: 'auth/token/create',
    });
    const byRoot = await call('POST', 'auth/token/lookup', {
      body: { token: res.auth.client_token },
    });
    expect(byRoot.body.data.id).toBe(res.auth.client_token);
    expect((await create({ id: 'fixed-id', policies: ['app'] })).auth.client_token).toBe(
      'fixed-id',
    );
    const child = await create({ policies: ['app'] }, 'fixed-id');
    expect(
      (
        await call('POST', 'auth/token/create', {
          token: child.auth.client_token,
          body: { id: 'x' },
        })
      ).body,
    ).toEqual({
      errors: ['root or sudo privileges required to specify token id'],
    });
    expect(
      (
        await call('POST', 'auth/token/create', {
          token: child.auth.client_token,
          body: { policies: ['root'] },
        })
      ).status,
    ).toBe(400);
  });

  it('expires tokens on the clock and caps renewals at explicit_max_ttl with a warning', async () => {
    const { auth } = await create({ ttl: '1h', explicit_max_ttl: '2h' });
    clock.advance(30 * 60_000);
    expect(
      (await call('GET', 'auth/token/lookup-self', { token: auth.client_token })).body.data.ttl,
    ).toBe(1800);
    const renewed = await call('POST', 'auth/token/renew-self', {
      token: auth.client_token,
      body: { increment: '10h' },
    });
    expect(renewed.body.auth.lease_duration).toBe(5400);
    expect(renewed.body.warnings).toEqual([
      'TTL of "10h" exceeded the effective max_ttl of "1h30m"; TTL value is capped accordingly',
    ]);
    clock.advance(5400_000);
    expect(
      (await call('GET', 'auth/token/lookup-self', { token: auth.client_token })).body,
    ).toEqual({ errors: ['permission denied'] });
    const fixed = await create({ ttl: '1h', renewable: false });
    expect(
      (await call('POST', 'auth/token/renew-self', { token: fixed.auth.client_token })).body,
    ).toEqual({
      errors: ['lease is not renewable'],
    });
  });

  it('revokes children with their parent, but not orphans; spends num_uses', async () => {
    const parent = (await create({ policies: ['app'], ttl: '1h' })).auth.client_token;
    const child = (await create({ policies: ['app'] }, parent)).auth.client_token;
    const orphan = (
      await call('POST', 'auth/token/create-orphan', { token: parent, body: { policies: ['app'] } })
    ).body.auth;
    expect(orphan.orphan).toBe(true);
    expect((await call('POST', 'auth/token/revoke-self', { token: parent })).status).toBe(204);
    expect((await call('GET', 'auth/token/lookup-self', { token: child })).status).toBe(403);
    expect(
      (await call('GET', 'auth/token/lookup-self', { token: orphan.client_token })).status,
    ).toBe(200);

    const limited = (await create({ num_uses: 2 })).auth.client_token;
    expect(
      (await call('GET', 'auth/token/lookup-self', { token: limited })).body.data.num_uses,
    ).toBe(1);
    expect((await call('GET', 'auth/token/lookup-self', { token: limited })).status).toBe(200);
    expect((await call('GET', 'auth/token/lookup-self', { token: limited })).status).toBe(403);

    const expiring = (await create({ ttl: '10m' })).auth.client_token;
    const under = (await create({ ttl: '1h' }, expiring)).auth.client_token;
    clock.advance(11 * 60_000);
    expect((await call('GET', 'auth/token/lookup-self', { token: under })).status).toBe(403);
  });

  it('logs in with AppRole: role-id, secret-id TTL and uses, token TTLs', async () => {
    expect((await call('POST', 'sys/auth/approle', { body: { type: 'approle' } })).status).toBe(
      204,
    );
    expect((await call('GET', 'sys/auth')).body.data).toHaveProperty('approle/');
    await call('POST', 'auth/approle/role/web', {
      body: {
        token_policies: ['app'],
        token_ttl: '20m',
        token_max_ttl: '30m',
        secret_id_ttl: '10m',
        secret_id_num_uses: 3,
      },
    });
    expect((await call('GET', 'auth/approle/role/web')).body.data).toMatchObject({
      token_ttl: 1200,
      token_max_ttl: 1800,
      secret_id_num_uses: 3,
    });
    const roleId = (await call('GET', 'auth/approle/role/web/role-id')).body.data.role_id;
    const secret = (await call('POST', 'auth/approle/role/web/secret-id', { body: {} })).body.data;
    expect(secret).toMatchObject({ secret_id_ttl: 600, secret_id_num_uses: 3 });
    const login = await call('POST', 'auth/approle/login', {
      token: null,
      body: { role_id: roleId, secret_id: secret.secret_id },
    });
    expect(login.body.auth).toMatchObject({
      policies: ['app', 'default'],
      metadata: { role_name: 'web' },
      lease_duration: 1200,
      orphan: true,
    });
    const renew = await call('POST', 'auth/token/renew-self', {
      token: login.body.auth.client_token,
      body: { increment: '1h' },
    });
    expect(renew.body.auth.lease_duration).toBe(1800);
    expect(
      (
        await call('POST', 'auth/approle/login', {
          token: null,
          body: { role_id: roleId, secret_id: 'nope' },
        })
      ).body,
    ).toEqual({
      errors: ['invalid role or secret ID'],
    });
    clock.advance(11 * 60_000);
    expect(
      (
        await call('POST', 'auth/approle/login', {
          token: null,
          body: { role_id: roleId, secret_id: secret.secret_id },
        })
      ).status,
    ).toBe(400);
    await call('POST', 'auth/approle/role/web/role-id', { body: { role_id: 'web-role' } });
    await call('POST', 'auth/approle/role/web/custom-secret-id', {
      body: { secret_id: 'web-secret', num_uses: 1 },
    });
    const body = { role_id: 'web-role', secret_id: 'web-secret' };
    expect((await call('POST', 'auth/approle/login', { token: null, body })).status).toBe(200);
    expect((await call('POST', 'auth/approle/login', { token: null, body })).status).toBe(400);
  });

  it('logs in with Kubernetes, reading the service account from the JWT claims', async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    await call('POST', 'sys/auth/kubernetes', { body: { type: 'kubernetes' } });
    const api = await startReviewAnswerer();
    await call('POST', 'auth/kubernetes/config', { body: { kubernetes_host: api.url } });
    await call('POST', 'auth/kubernetes/role/api', {
      body: {
        bound_service_account_names: ['api'],
        bound_service_account_namespaces: ['prod'],
        token_policies: ['app'],
        token_ttl: '15m',
      },
    });
    const jwt = (claims: Record<string, unknown>) =>
      `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.sig`;
    const ok = await call('POST', 'auth/kubernetes/login', {
      token: null,
      body: { role: 'api', jwt: jwt({ sub: 'system:serviceaccount:prod:api' }) },
    });
    expect(ok.body.auth).toMatchObject({
      lease_duration: 900,
      metadata: { role: 'api', service_account_name: 'api', service_account_namespace: 'prod' },
    });
    const nested = jwt({
      'kubernetes.io': { namespace: 'prod', serviceaccount: { name: 'api', uid: 'u-1' } },
    });
    expect(
      (
        await call('POST', 'auth/kubernetes/login', {
          token: null,
          body: { role: 'api', jwt: nested },
        })
      ).body.auth.metadata.service_account_uid,
    ).toBe('u-1');
    const wrong = await call('POST', 'auth/kubernetes/login', {
      token: null,
      body: { role: 'api', jwt: jwt({ sub: 'system:serviceaccount:dev:api' }) },
    });
    expect(wrong).toEqual({ status: 403, body: { errors: ['namespace not authorized'] } });
    const expired = jwt({
      sub: 'system:serviceaccount:prod:api',
      exp: Math.floor(clock.now() / 1000) - 1,
    });
    expect(
      (
        await call('POST', 'auth/kubernetes/login', {
          token: null,
          body: { role: 'api', jwt: expired },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call('POST', 'auth/kubernetes/login', {
          token: null,
          body: { role: 'api', jwt: 'garbage' },
        })
      ).status,
    ).toBe(403);
    // The expired, garbage and wrong-namespace tokens were refused before any review.
    expect(api.reviewed).toHaveLength(2);
    await api.stop();
  });
});
