/**
 * Test-server-only parts of the login methods: the LDAP method against the stand-in directory
 * (OpenBao ships no LDAP plugin), seeds, and expiry on the movable clock (wrapping tokens, JWTs).
 */
import { expect, it } from '@jest/globals';
import { VaultTestServer } from 'nestjs-vault-config-testing';
import { call, describeTargets, enableAuth, putPolicy, uniq } from '../support/contract-helpers.js';
import { makeJwtIssuer } from '../support/jwt-issuer.js';
import { makeTestPki } from '../support/test-pki.js';
import { memoryTargetHooks } from '../support/memory-target.js';
import type { MemoryServerControl, VaultTarget } from '../support/vault-target.js';

const BIND_FAILED = { errors: ['ldap operation failed: failed to bind as user'] };

describeTargets(
  'test-server-only login methods',
  kind => {
    let t: VaultTarget;
    let mem: MemoryServerControl;
    memoryTargetHooks(kind, (target, memory) => {
      t = target;
      mem = memory;
    });

    it('ldap: binds against the stand-in directory; policies from the user and its groups', async () => {
      const mount = uniq('ldap');
      await enableAuth(t, mount, 'ldap');
      const login = (user: string, password: string) =>
        call(t, 'POST', `auth/${mount}/login/${user}`, { token: null, body: { password } });
      expect(await login('alice', 'pw')).toMatchObject({
        status: 400,
        body: { errors: ['ldap backend not configured'] },
      });
      const config = await call(t, 'POST', `auth/${mount}/config`, {
        body: { url: 'ldap://directory.test', userdn: 'ou=people,dc=test', token_ttl: '20s' },
      });
      expect(config.status).toBe(204);
      expect((await call(t, 'GET', `auth/${mount}/config`)).body.data).toMatchObject({
        url: 'ldap://directory.test',
        userdn: 'ou=people,dc=test',
        userattr: 'cn',
        deny_null_bind: true,
        token_ttl: 20,
      });
      for (const [name, policies] of [
        ['devs', 'dev-read'],
        ['ops', 'ops-read'],
      ]) {
        await putPolicy(t, policies, `path "secret/data/${name}/*" { capabilities = ["read"] }`);
        const group = await call(t, 'POST', `auth/${mount}/groups/${name}`, { body: { policies } });
        expect(group.status).toBe(204);
      }
      expect((await call(t, 'GET', `auth/${mount}/groups/devs`)).body.data).toEqual({
        policies: ['dev-read'],
      });
      const dir = await call(t, 'POST', `auth/${mount}/test-directory/users/alice`, {
        body: { password: 'alice-pw', groups: ['devs'] },
      });
      expect(dir.status).toBe(204);
      // A group granted in Vault itself (users/<name>), on top of the directory's.
      await call(t, 'POST', `auth/${mount}/users/alice`, { body: { groups: 'ops' } });
      const ok = await login('Alice', 'alice-pw');
      expect(ok.status).toBe(200);
      expect(ok.body.auth).toMatchObject({
        policies: ['default', 'dev-read', 'ops-read'],
        metadata: { username: 'alice' },
        lease_duration: 20,
        renewable: true,
      });
      expect(await login('alice', 'wrong')).toMatchObject({ status: 400, body: BIND_FAILED });
      expect(await login('mallory', 'alice-pw')).toMatchObject({ status: 400, body: BIND_FAILED });
      expect(await login('alice', '')).toMatchObject({
        status: 400,
        body: {
          errors: ['password cannot be of zero length when passwordless binds are being denied'],
        },
      });
      expect((await call(t, 'LIST', `auth/${mount}/test-directory/users`)).body.data.keys).toEqual([
        'alice',
      ]);
    });

    it('a wrapping token dies at its TTL on the server clock', async () => {
      const res = await call(t, 'POST', 'sys/wrapping/wrap', {
        body: { note: 'x' },
        headers: { 'X-Vault-Wrap-TTL': '60s' },
      });
      const token = res.body.wrap_info.token as string;
      expect(res.body.wrap_info.creation_path).toBe('sys/wrapping/wrap');
      mem.clock.advance(61_000);
      const late = await call(t, 'POST', 'sys/wrapping/unwrap', { token, body: {} });
      expect(late.status).toBe(400);
      expect(late.body).toEqual({ errors: ['wrapping token is not valid or does not exist'] });
      const unwrapped = await call(t, 'POST', 'sys/wrapping/wrap', { body: { note: 'x' } });
      expect(unwrapped.body).toEqual({
        errors: ['endpoint requires response wrapping to be used'],
      });
    });

    it('a JWT expires on the server clock, with Vault’s 60 s leeway', async () => {
      const issuer = makeJwtIssuer('ES256');
      const mount = uniq('jwt');
      await enableAuth(t, mount, 'jwt');
      await call(t, 'POST', `auth/${mount}/config`, {
        body: { jwt_validation_pubkeys: [issuer.publicKeyPem] },
      });
      await call(t, 'POST', `auth/${mount}/role/r`, {
        body: { role_type: 'jwt', user_claim: 'sub', bound_subject: 'ci' },
      });
      const nowS = Math.floor(mem.clock.now() / 1000); // earlier tests moved the clock on
      const jwt = issuer.sign({ sub: 'ci', iss: null, iat: nowS, exp: nowS + 300 });
      const login = () =>
        call(t, 'POST', `auth/${mount}/login`, { token: null, body: { role: 'r', jwt } });
      expect((await login()).status).toBe(200);
      mem.clock.advance(330_000); // 30 s past exp: within the leeway
      expect((await login()).status).toBe(200);
      mem.clock.advance(60_000);
      expect((await login()).body).toEqual({
        errors: ['error validating token: invalid expiration time (exp) claim: token is expired'],
      });
    });
  },
  ['memory'],
);

it('seeds jwt, userpass, cert and ldap auth', async () => {
  const issuer = makeJwtIssuer('ES256');
  const pki = makeTestPki();
  const server = await VaultTestServer.start({
    rootToken: 'root',
    seed: {
      auth: {
        jwt: {
          config: { jwt_validation_pubkeys: [issuer.publicKeyPem], bound_issuer: issuer.issuer },
          roles: { ci: { role_type: 'jwt', user_claim: 'sub', bound_audiences: ['vault'] } },
        },
        userpass: { users: { alice: { password: 'alice-pw', token_policies: ['default'] } } },
        cert: { certs: { web: { certificate: pki.ca.cert, token_policies: ['web'] } } },
        ldap: {
          config: { url: 'ldap://directory.test' },
          groups: { devs: { policies: ['dev-read'] } },
          directory: { bob: { password: 'bob-pw', groups: ['devs'] } },
        },
      },
    },
  });
  try {
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}/v1/${path}`, { method: 'POST', body: JSON.stringify(body) }).then(
        async r => ({
          status: r.status,
          body: (await r.json()) as { auth?: { policies: string[] } },
        }),
      );
    const jwt = issuer.sign({ sub: 'deploy', aud: 'vault' });
    expect((await post('auth/jwt/login', { role: 'ci', jwt })).status).toBe(200);
    expect((await post('auth/userpass/login/alice', { password: 'alice-pw' })).status).toBe(200);
    const ldap = await post('auth/ldap/login/bob', { password: 'bob-pw' });
    expect(ldap.body.auth?.policies).toEqual(['default', 'dev-read']);
    const cert = await fetch(`${server.url}/v1/auth/cert/certs/web`, {
      headers: { 'X-Vault-Token': 'root' },
    });
    expect(((await cert.json()) as { data: unknown }).data).toMatchObject({
      certificate: pki.ca.cert,
      token_policies: ['web'],
    });
  } finally {
    await server.stop();
    pki.remove();
  }
});
