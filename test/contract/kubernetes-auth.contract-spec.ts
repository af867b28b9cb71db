/**
 * Kubernetes auth against a stand-in Kubernetes API server (test/support/kubernetes-api.stand-in.ts)
 * that answers TokenReview: the same requests and answers on every target. Vault trusts a service
 * account token only when the API server's review confirms it (or, with `pem_keys`, its signature
 * verifies first), and then only for the role's bound names, namespaces and audience.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { call, describeTargets, enableAuth, putPolicy, uniq } from '../support/contract-helpers.js';
import { API_AUDIENCE, KubernetesApiStandIn } from '../support/kubernetes-api.stand-in.js';
import { freePort, startTarget, type VaultTarget } from '../support/vault-target.js';

const DEMO = { namespace: 'default', name: 'demo' };
const DENIED = { errors: ['permission denied'] };

describeTargets('Kubernetes auth with TokenReview', kind => {
  let t: VaultTarget;
  let k8s: KubernetesApiStandIn;
  let mount: string;
  let policy: string;

  beforeAll(async () => {
    [t, k8s] = await Promise.all([startTarget(kind), KubernetesApiStandIn.start()]);
    mount = uniq('k8s');
    policy = uniq('k8s-read');
    await enableAuth(t, mount, 'kubernetes');
    await putPolicy(t, policy, 'path "secret/data/k8s/*" { capabilities = ["read"] }');
    const config = await call(t, 'POST', `auth/${mount}/config`, { body: k8s.vaultConfig() });
    expect(config.status).toBe(204);
    for (const [role, extra] of [
      ['app', {}],
      ['aud', { audience: 'vault' }],
    ] as const) {
      const created = await call(t, 'POST', `auth/${mount}/role/${role}`, {
        body: {
          bound_service_account_names: ['demo'],
          bound_service_account_namespaces: ['default'],
          token_policies: [policy],
          token_ttl: '1h',
          ...extra,
        },
      });
      expect(created.status).toBe(204);
    }
  });
  afterAll(async () => {
    await Promise.allSettled([k8s?.stop(), t?.stop()]);
  });

  const login = (jwt: string, role = 'app', path = mount) =>
    call(t, 'POST', `auth/${path}/login`, { token: null, body: { role, jwt } });

  it('logs in a live service account token after a TokenReview by the reviewer', async () => {
    const jwt = k8s.serviceAccountToken(DEMO);
    const before = k8s.reviews.length;
    const ok = await login(jwt);
    expect(ok.status).toBe(200);
    expect(ok.body.auth).toMatchObject({
      policies: ['default', policy].sort(),
      lease_duration: 3600,
      metadata: {
        role: 'app',
        service_account_name: 'demo',
        service_account_namespace: 'default',
        service_account_uid: k8s.uid(DEMO),
      },
    });
    expect(k8s.reviews.slice(before)).toEqual([
      {
        authorization: `Bearer ${k8s.reviewerJwt}`,
        // No role audience: Vault asks for the token's own audiences.
        body: expect.objectContaining({ spec: { token: jwt, audiences: [API_AUDIENCE] } }),
      },
    ]);
  });

  it('refuses a token the API server did not sign, or whose account is gone', async () => {
    expect(await login(k8s.forgedToken(DEMO))).toMatchObject({ status: 403, body: DENIED });
    const gone = { namespace: 'default', name: 'demo' };
    const jwt = k8s.serviceAccountToken(gone);
    expect((await login(jwt)).status).toBe(200);
    k8s.deleteServiceAccount(gone);
    expect(await login(jwt)).toMatchObject({ status: 403, body: DENIED });
  });

  it('refuses an unsigned token and an expired one', async () => {
    const [header, claims] = k8s.serviceAccountToken(DEMO).split('.');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(await login(`${none}.${claims}.`)).toMatchObject({ status: 403, body: DENIED });
    expect(await login(`${header}.${claims}`)).toMatchObject({ status: 403, body: DENIED });
    const expired = await login(k8s.serviceAccountToken({ ...DEMO, expiresInS: -60 }));
    expect(expired).toMatchObject({
      status: 403,
      body: { errors: ['invalid expiration time (exp) claim: token is expired'] },
    });
  });

  it('holds the role to its service account names and namespaces', async () => {
    const wrongName = await login(
      k8s.serviceAccountToken({ namespace: 'default', name: 'intruder' }),
    );
    expect(wrongName).toMatchObject({
      status: 403,
      body: { errors: ['service account name not authorized'] },
    });
    const wrongNs = await login(k8s.serviceAccountToken({ namespace: 'other', name: 'demo' }));
    expect(wrongNs).toMatchObject({ status: 403, body: { errors: ['namespace not authorized'] } });
  });

  it("asks the API server for the role's audience and wants it in the token", async () => {
    const jwt = k8s.serviceAccountToken({ ...DEMO, audiences: ['vault'] });
    const before = k8s.reviews.length;
    expect((await login(jwt, 'aud')).status).toBe(200);
    expect(k8s.reviews.slice(before).map(r => r.body.spec)).toEqual([
      { token: jwt, audiences: ['vault'] },
    ]);
    const other = await login(k8s.serviceAccountToken({ ...DEMO, audiences: ['other'] }), 'aud');
    expect(other).toMatchObject({
      status: 403,
      body: {
        errors: [
          'invalid audience (aud) claim: audience claim does not match any expected audience',
        ],
      },
    });
  });

  it('with pem_keys, refuses a bad signature before any TokenReview', async () => {
    const pemMount = uniq('k8s-pem');
    await enableAuth(t, pemMount, 'kubernetes');
    const config = await call(t, 'POST', `auth/${pemMount}/config`, {
      body: { ...k8s.vaultConfig(), pem_keys: [k8s.publicKeyPem()] },
    });
    expect(config.status).toBe(204);
    await call(t, 'POST', `auth/${pemMount}/role/app`, {
      body: {
        bound_service_account_names: ['demo'],
        bound_service_account_namespaces: ['default'],
      },
    });
    const before = k8s.reviews.length;
    expect((await login(k8s.forgedToken(DEMO), 'app', pemMount)).status).toBe(403);
    expect(k8s.reviews.length).toBe(before);
    expect((await login(k8s.serviceAccountToken(DEMO), 'app', pemMount)).status).toBe(200);
    expect(k8s.reviews.length).toBe(before + 1);
  });

  it('without token_reviewer_jwt, reviews with the login token itself', async () => {
    const selfMount = uniq('k8s-self');
    await enableAuth(t, selfMount, 'kubernetes');
    const { token_reviewer_jwt: _unused, ...config } = k8s.vaultConfig();
    expect((await call(t, 'POST', `auth/${selfMount}/config`, { body: config })).status).toBe(204);
    await call(t, 'POST', `auth/${selfMount}/role/app`, {
      body: { bound_service_account_names: ['*'], bound_service_account_namespaces: ['team'] },
    });
    const sa = { namespace: 'team', name: uniq('sa') };
    const jwt = k8s.serviceAccountToken(sa);
    const refused = await login(jwt, 'app', selfMount);
    const before = k8s.reviews.length;
    k8s.allowTokenReview(sa);
    const ok = await login(jwt, 'app', selfMount);
    expect({ refused: refused.status, ok: ok.status }).toEqual({ refused: 403, ok: 200 });
    expect(refused.body).toEqual(DENIED);
    expect(k8s.reviews[before]?.authorization).toBe(`Bearer ${jwt}`);
  });

  it('fails the login when the API server cannot be reached', async () => {
    const lostMount = uniq('k8s-lost');
    await enableAuth(t, lostMount, 'kubernetes');
    const config = {
      ...k8s.vaultConfig(),
      kubernetes_host: `https://127.0.0.1:${await freePort()}`,
    };
    expect((await call(t, 'POST', `auth/${lostMount}/config`, { body: config })).status).toBe(204);
    await call(t, 'POST', `auth/${lostMount}/role/app`, {
      body: {
        bound_service_account_names: ['demo'],
        bound_service_account_namespaces: ['default'],
      },
    });
    const res = await login(k8s.serviceAccountToken(DEMO), 'app', lostMount);
    // Vault's plugin hides why the review failed from the client: the same bare 403.
    expect(res).toMatchObject({ status: 403, body: DENIED });
  });
});
