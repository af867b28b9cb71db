/** JWT auth (role_type jwt, jwt_validation_pubkeys): the same requests against every target. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { call, describeTargets, enableAuth, putPolicy, uniq } from '../support/contract-helpers.js';
import { makeJwtIssuer, type JwtIssuer } from '../support/jwt-issuer.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

const AUD = 'https://github.com/acme';

describeTargets('JWT auth', kind => {
  let t: VaultTarget;
  let mount: string;
  let rsa: JwtIssuer;
  let ec: JwtIssuer;
  let policy: string;
  const stranger = makeJwtIssuer('RS256'); // same issuer name, a key Vault does not know

  beforeAll(async () => {
    t = await startTarget(kind);
    rsa = makeJwtIssuer('RS256');
    ec = makeJwtIssuer('ES256');
    mount = uniq('jwt');
    policy = uniq('jwt-read');
    await enableAuth(t, mount, 'jwt');
    await putPolicy(t, policy, 'path "secret/data/ci/*" { capabilities = ["read"] }');
    const config = await call(t, 'POST', `auth/${mount}/config`, {
      body: {
        jwt_validation_pubkeys: [rsa.publicKeyPem, ec.publicKeyPem],
        bound_issuer: rsa.issuer,
      },
    });
    expect(config.status).toBe(204);
    const role = await call(t, 'POST', `auth/${mount}/role/deploy`, {
      body: {
        role_type: 'jwt',
        user_claim: 'sub',
        bound_audiences: [AUD],
        bound_claims: {
          repository: 'acme/billing',
          ref: ['refs/heads/main', 'refs/heads/release'],
        },
        token_policies: [policy],
        token_ttl: '10m',
        token_max_ttl: '30m',
      },
    });
    expect(role.status).toBe(204);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const good = {
    sub: 'repo:acme/billing:ref:refs/heads/main',
    aud: AUD,
    repository: 'acme/billing',
    ref: 'refs/heads/main',
  };
  const login = (jwt: string, role: unknown = 'deploy') =>
    call(t, 'POST', `auth/${mount}/login`, { token: null, body: { role, jwt } });

  it('reads the config back with its keys trimmed', async () => {
    const res = await call(t, 'GET', `auth/${mount}/config`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      bound_issuer: rsa.issuer,
      default_role: '',
      jwks_url: '',
      oidc_discovery_url: '',
      jwt_supported_algs: [],
      jwt_validation_pubkeys: [rsa.publicKeyPem.trim(), ec.publicKeyPem.trim()],
    });
  });

  it('refuses configs without exactly one key source, or with a key that does not parse', async () => {
    const none = await call(t, 'POST', `auth/${mount}/config`, { body: { bound_issuer: 'x' } });
    expect(none.status).toBe(400);
    expect(none.body).toEqual({
      errors: [
        "exactly one of 'jwt_validation_pubkeys', 'jwks_url', 'jwks_pairs', 'oidc_discovery_url', or 'provider_config' must be set",
      ],
    });
    const garbage = await call(t, 'POST', `auth/${mount}/config`, {
      body: { jwt_validation_pubkeys: ['not a key'] },
    });
    expect(garbage.status).toBe(400);
    expect(garbage.body).toEqual({
      errors: ['error parsing public key: data does not contain any valid public keys'],
    });
  });

  it('reads a role back with every field', async () => {
    const res = await call(t, 'GET', `auth/${mount}/role/deploy`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      role_type: 'jwt',
      user_claim: 'sub',
      bound_audiences: [AUD],
      bound_claims: { repository: 'acme/billing', ref: ['refs/heads/main', 'refs/heads/release'] },
      bound_claims_type: 'string',
      bound_subject: '',
      claim_mappings: null,
      clock_skew_leeway: 0,
      expiration_leeway: 0,
      not_before_leeway: 0,
      token_policies: [policy],
      token_ttl: 600,
      token_max_ttl: 1800,
      token_explicit_max_ttl: 0,
      token_num_uses: 0,
      token_period: 0,
      token_no_default_policy: false,
      token_type: 'default',
      token_bound_cidrs: [],
    });
    const list = await call(t, 'LIST', `auth/${mount}/role`);
    expect(list.body.data.keys).toEqual(['deploy']);
    expect((await call(t, 'GET', `auth/${mount}/role/missing`)).status).toBe(404);
  });

  it.each([
    [{ role_type: 'jwt', bound_audiences: [AUD] }, 'a user claim must be defined on the role'],
    [
      { role_type: 'jwt', user_claim: 'sub' },
      'must have at least one bound constraint when creating/updating a role',
    ],
    [
      { user_claim: 'sub', bound_audiences: [AUD] },
      "'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified.",
    ],
    [
      {
        role_type: 'jwt',
        user_claim: 'sub',
        bound_audiences: [AUD],
        token_ttl: '2h',
        token_max_ttl: '1h',
      },
      "'token_ttl' cannot be greater than 'token_max_ttl'",
    ],
    [
      { role_type: 'jwt', user_claim: 'sub', bound_audiences: [AUD], bound_claims_type: 'regex' },
      "invalid 'bound_claims_type': regex",
    ],
  ])('refuses the role %j: %s', async (body, error) => {
    const res = await call(t, 'POST', `auth/${mount}/role/${uniq('bad')}`, { body });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [error] });
  });

  it('logs in with an RS256 or ES256 JWT: a token with the role policies and TTL', async () => {
    for (const issuer of [rsa, ec]) {
      const res = await login(issuer.sign(good));
      expect(res.status).toBe(200);
      expect(res.body.auth).toMatchObject({
        policies: ['default', policy].sort(),
        token_policies: ['default', policy].sort(),
        metadata: { role: 'deploy' },
        lease_duration: 600,
        renewable: true,
        token_type: 'service',
        orphan: true,
      });
      const token = res.body.auth.client_token as string;
      const self = await call(t, 'GET', 'auth/token/lookup-self', { token });
      expect(self.body.data).toMatchObject({
        path: `auth/${mount}/login`,
        meta: { role: 'deploy' },
      });
      const renewed = await call(t, 'POST', 'auth/token/renew-self', {
        token,
        body: { increment: '1h' },
      });
      expect(renewed.status).toBe(200);
      expect(renewed.body.auth.lease_duration).toBeLessThanOrEqual(1800); // capped by token_max_ttl
      expect(renewed.body.auth.lease_duration).toBeGreaterThan(1790);
    }
    const listed = await login(
      rsa.sign({ ...good, aud: ['other', AUD], ref: 'refs/heads/release' }),
    );
    expect(listed.status).toBe(200);
  });

  const now = () => Math.floor(Date.now() / 1000);
  it.each<[string, () => string, string]>([
    [
      'a wrong audience',
      () => rsa.sign({ ...good, aud: 'https://github.com/evil' }),
      'error validating token: invalid audience (aud) claim: audience claim does not match any expected audience',
    ],
    [
      'no audience',
      () => rsa.sign({ ...good, aud: null }),
      'error validating token: invalid audience (aud) claim: audience claim does not match any expected audience',
    ],
    [
      'another issuer',
      () => makeJwtIssuer('RS256', 'https://evil.test').sign(good),
      'error validating token: error verifying token signature: no known key successfully validated the token signature',
    ],
    [
      'a wrong iss claim',
      () => rsa.sign({ ...good, iss: 'https://evil.test' }),
      'error validating token: invalid issuer (iss) claim',
    ],
    [
      'an unknown key',
      () => stranger.sign(good),
      'error validating token: error verifying token signature: no known key successfully validated the token signature',
    ],
    [
      'a tampered payload',
      () => tamper(rsa.sign(good)),
      'error validating token: error verifying token signature: no known key successfully validated the token signature',
    ],
    [
      'garbage',
      () => 'not-a-jwt',
      'error validating token: error verifying token signature: go-jose/go-jose: compact JWS format must have three parts',
    ],
    [
      'an expired JWT',
      () => rsa.sign({ ...good, iat: now() - 7200, exp: now() - 3600 }),
      'error validating token: invalid expiration time (exp) claim: token is expired',
    ],
    [
      'a JWT not valid yet',
      () => rsa.sign({ ...good, nbf: now() + 3600 }),
      'error validating token: invalid not before (nbf) claim: token not yet valid',
    ],
    [
      'a bound claim that differs',
      () => rsa.sign({ ...good, repository: 'acme/other' }),
      'error validating claims: claim "repository" does not match any associated bound claim values',
    ],
    [
      'a bound claim that is missing',
      () => rsa.sign({ ...good, ref: null }),
      'error validating claims: claim "ref" is missing',
    ],
    ['no user claim', () => rsa.sign({ ...good, sub: null }), 'claim "sub" not found in token'],
  ])('refuses %s with 400 and Vault’s reason', async (_what, jwt, error) => {
    const res = await login(jwt());
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [error] });
  });

  it('refuses a missing or unknown role and a missing JWT', async () => {
    const jwt = rsa.sign(good);
    expect((await login(jwt, 'nope')).body).toEqual({ errors: ['role "nope" could not be found'] });
    expect((await login(jwt, '')).body).toEqual({ errors: ['missing role'] });
    const noJwt = await call(t, 'POST', `auth/${mount}/login`, {
      token: null,
      body: { role: 'deploy' },
    });
    expect(noJwt.status).toBe(400);
    expect(noJwt.body).toEqual({ errors: ['missing token'] });
  });

  it('glob bound claims, a bound subject, and an audience no role expects', async () => {
    const role = uniq('glob');
    const write = await call(t, 'POST', `auth/${mount}/role/${role}`, {
      body: {
        role_type: 'jwt',
        user_claim: 'sub',
        bound_subject: 'ci',
        bound_claims_type: 'glob',
        bound_claims: { ref: 'refs/heads/*' },
        token_policies: [policy],
      },
    });
    expect(write.status).toBe(204);
    const ok = await login(rsa.sign({ sub: 'ci', ref: 'refs/heads/feature/x' }), role);
    expect(ok.status).toBe(200);
    const tag = await login(rsa.sign({ sub: 'ci', ref: 'refs/tags/v1' }), role);
    expect(tag.body).toEqual({
      errors: [
        'error validating claims: claim "ref" does not match any associated bound claim values',
      ],
    });
    const sub = await login(rsa.sign({ sub: 'other', ref: 'refs/heads/main' }), role);
    expect(sub.body).toEqual({ errors: ['error validating token: invalid subject (sub) claim'] });
    const aud = await login(rsa.sign({ sub: 'ci', ref: 'refs/heads/main', aud: AUD }), role);
    expect(aud.status).toBe(400);
    expect(aud.body).toEqual({
      errors: ['audience claim found in JWT but no audiences bound to the role'],
    });
  });
});

/** The same JWT with one character of its payload changed. */
function tamper(jwt: string): string {
  const [h, p, s] = jwt.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  claims.repository = 'acme/billinh';
  return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
}
