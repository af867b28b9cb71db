/**
 * Test-server-only (OpenBao has no gcp plugin): the gcp auth backend's API as Vault's plugin serves
 * it — role types and their fields, and a login whose JWT is verified with Google's keys (a local
 * stand-in reached through `custom_endpoint`), then its claims and the service account.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { call, describeTargets, enableAuth, uniq } from '../support/contract-helpers.js';
import { memoryTargetHooks } from '../support/memory-target.js';
import type { VaultTarget } from '../support/vault-target.js';
import { GcpStandIn, type GcpServiceAccount } from '../support/cloud/gcp.stand-in.js';
import { newSigningKey, nowS, signJwt } from '../support/cloud/test-jwt.js';

const sa: GcpServiceAccount = {
  email: 'app@proj-a.iam.gserviceaccount.com',
  uniqueId: '111',
  projectId: 'proj-a',
};

describeTargets(
  'test server: gcp auth backend',
  kind => {
    let t: VaultTarget;
    let google: GcpStandIn;
    let mount: string;
    memoryTargetHooks(kind, target => {
      t = target;
    });
    beforeAll(async () => {
      google = await GcpStandIn.start(sa, {
        projectId: 'proj-a',
        projectNumber: 42,
        zone: 'us-central1-a',
        instanceId: '9001',
        instanceName: 'vm-1',
      });
      mount = uniq('gcp');
      await enableAuth(t, mount, 'gcp');
      await call(t, 'POST', `auth/${mount}/config`, {
        body: { custom_endpoint: { api: google.apis.url, iam: google.apis.url } },
      });
      await call(t, 'POST', `auth/${mount}/role/iam-role`, {
        body: { type: 'iam', bound_service_accounts: [sa.email] },
      });
      await call(t, 'POST', `auth/${mount}/role/gce-role`, {
        body: { type: 'gce', bound_projects: 'proj-a', bound_zones: 'us-central1-a' },
      });
    });
    afterAll(() => google?.close());

    const login = async (role: string, jwt: string) => {
      const res = await call(t, 'POST', `auth/${mount}/login`, {
        token: null,
        body: { role, jwt },
      });
      return { status: res.status, body: res.body };
    };
    const saJwt = (claims: Record<string, unknown>) =>
      signJwt(google.saKey, { sub: sa.email, aud: 'vault/iam-role', exp: nowS() + 600, ...claims });

    it("roles: a type is required and fixed; each type refuses the other's fields", async () => {
      const write = async (role: string, body: Record<string, unknown>) =>
        (await call(t, 'POST', `auth/${mount}/role/${role}`, { body })).body?.errors;
      expect(await write('untyped', { bound_projects: 'p' })).toEqual([
        'role type cannot be empty',
      ]);
      expect(await write('nosa', { type: 'iam' })).toEqual([
        'IAM role type must have at least one service account',
      ]);
      expect(await write('mixed', { type: 'gce', max_jwt_exp: '5m' })).toEqual([
        'invalid args found for role of type gce: max_jwt_exp',
      ]);
      expect(await write('iam-role', { type: 'gce' })).toEqual([
        'role type cannot be changed for an existing role',
      ]);
      const read = await call(t, 'GET', `auth/${mount}/role/iam-role`);
      expect(read.body.data).toMatchObject({
        type: 'iam',
        bound_service_accounts: [sa.email],
        max_jwt_exp: 900,
        allow_gce_inference: true,
      });
    });

    it("iam: a JWT signed with the service account's key logs in, with its metadata", async () => {
      const res = await login('iam-role', saJwt({}));
      expect(res.status).toBe(200);
      expect(res.body.auth.metadata).toEqual({
        role: 'iam-role',
        service_account_email: sa.email,
        service_account_id: '111',
        project_id: 'proj-a',
      });
    });

    it("iam: forged, wrongly addressed, expired or too long-lived JWTs are refused with Vault's messages", async () => {
      const intruder = newSigningKey();
      const forged = signJwt(
        { ...intruder, kid: google.saKey.kid },
        { sub: sa.email, aud: 'vault/iam-role', exp: nowS() + 600 },
      );
      expect(await login('iam-role', forged)).toEqual({
        status: 400,
        body: { errors: ['go-jose/go-jose: error in cryptographic primitive'] },
      });
      const unknownKey = signJwt(intruder, {
        sub: sa.email,
        aud: 'vault/iam-role',
        exp: nowS() + 600,
      });
      expect((await login('iam-role', unknownKey)).body.errors[0]).toMatch(
        /^unable to get public key for signed JWT: service account "/,
      );
      expect((await login('iam-role', saJwt({ aud: 'vault/other-role' }))).body.errors).toEqual([
        'at least one of the JWT claim \'aud\' must end in "vault/iam-role"',
      ]);
      expect((await login('iam-role', saJwt({ exp: nowS() - 120 }))).body.errors).toEqual([
        "JWT is expired or does not have proper 'exp' claim",
      ]);
      expect((await login('iam-role', saJwt({ exp: nowS() + 1800 }))).body.errors).toEqual([
        'role requires that service account JWTs expire within 900 seconds',
      ]);
      expect((await login('iam-role', 'not-a-jwt')).status).toBe(400);
    });

    it("gce: the instance token's project and zone are checked against the role", async () => {
      const instanceToken = (compute: Record<string, unknown>) =>
        signJwt(google.oauthKey, {
          iss: 'https://accounts.google.com',
          sub: sa.uniqueId,
          aud: 'http://vault/gce-role',
          exp: nowS() + 3600,
          google: {
            compute_engine: {
              project_id: 'proj-a',
              project_number: 42,
              zone: 'us-central1-a',
              instance_id: '9001',
              instance_name: 'vm-1',
              ...compute,
            },
          },
        });
      const ok = await login('gce-role', instanceToken({}));
      expect(ok.status).toBe(200);
      expect(ok.body.auth.metadata).toMatchObject({
        role: 'gce-role',
        zone: 'us-central1-a',
        instance_name: 'vm-1',
        project_id: 'proj-a',
        service_account_email: sa.email,
      });
      expect(
        (await login('gce-role', instanceToken({ zone: 'europe-west1-b' }))).body.errors,
      ).toEqual(['instance not in bound zones [us-central1-a]']);
      expect(
        (await login('gce-role', instanceToken({ project_id: 'proj-b' }))).body.errors,
      ).toEqual(['instance "9001" (project "proj-b") not in bound projects [proj-a]']);
      // A service account's own JWT has no instance claims: not a gce login.
      const plain = signJwt(google.oauthKey, {
        sub: sa.uniqueId,
        aud: 'vault/gce-role',
        exp: nowS() + 600,
      });
      expect((await login('gce-role', plain)).body.errors).toEqual([
        'expected JWT to have claims with GCE metadata',
      ]);
    });
  },
  ['memory'],
);
