/**
 * Test-server-only (OpenBao has no aws plugin): the aws auth backend's API as Vault's plugin serves
 * it — config/client and roles, and a login checked field by field with Vault's messages before
 * the signed request goes to STS (a local stand-in that verifies the signature).
 */
import { expect, it } from '@jest/globals';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { call, describeTargets, enableAuth, uniq } from '../support/contract-helpers.js';
import { memoryTargetHooks } from '../support/memory-target.js';
import type { VaultTarget } from '../support/vault-target.js';
import { AwsStsStandIn } from '../support/cloud/aws-sts.stand-in.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A GetCallerIdentity request signed like the library signs it (names as Go's http.Header). */
async function signedBody(
  keys: { accessKeyId: string; secretAccessKey: string },
  serverId?: string,
  body = 'Action=GetCallerIdentity&Version=2011-06-15',
) {
  const signer = new SignatureV4({
    credentials: keys,
    region: 'us-east-1',
    service: 'sts',
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'https:',
    hostname: 'sts.amazonaws.com',
    path: '/',
    headers: {
      host: 'sts.amazonaws.com',
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      ...(serverId ? { 'x-vault-aws-iam-server-id': serverId } : {}),
    },
    body,
  });
  const headers = Object.fromEntries(
    Object.entries(signed.headers)
      .filter(([k]) => k !== 'host')
      .map(([k, v]) => [
        k.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase()),
        [v],
      ]),
  );
  return {
    iam_http_request_method: 'POST',
    iam_request_url: b64('https://sts.amazonaws.com/'),
    iam_request_body: b64(body),
    iam_request_headers: b64(JSON.stringify(headers)),
  };
}

describeTargets(
  'test server: aws auth backend',
  kind => {
    let t: VaultTarget;
    memoryTargetHooks(kind, target => {
      t = target;
    });

    const errorsOf = async (mount: string, body: Record<string, unknown>) => {
      const res = await call(t, 'POST', `auth/${mount}/login`, { token: null, body });
      return { status: res.status, errors: res.body?.errors as string[] };
    };

    it('roles: iam only, a bound principal required, read back as Vault shows them', async () => {
      const mount = uniq('aws');
      await enableAuth(t, mount, 'aws');
      const write = (role: string, body: Record<string, unknown>) =>
        call(t, 'POST', `auth/${mount}/role/${role}`, { body });
      expect((await write('none', { auth_type: 'iam' })).body).toEqual({
        errors: ['at least one bound parameter should be specified on the role'],
      });
      expect((await write('ec2', { auth_type: 'iam', bound_ami_id: 'ami-1' })).body.errors[0]).toBe(
        'specified bound_ami_id but not allowed by auth_type iam',
      );
      expect(
        (
          await write('app', {
            bound_iam_principal_arn: 'arn:aws:iam::123456789012:role/app',
            token_ttl: '1h',
            token_policies: 'a,b',
          })
        ).status,
      ).toBe(204);
      const read = await call(t, 'GET', `auth/${mount}/role/app`);
      expect(read.body.data).toMatchObject({
        auth_type: 'iam',
        bound_iam_principal_arn: ['arn:aws:iam::123456789012:role/app'],
        resolve_aws_unique_ids: true,
        token_ttl: 3600,
        token_policies: ['a', 'b'],
      });
      expect((await call(t, 'LIST', `auth/${mount}/role`)).body.data.keys).toEqual(['app']);
    });

    it('config/client keeps the STS endpoint and the server-ID value; the secret key is never read back', async () => {
      const mount = uniq('aws');
      await enableAuth(t, mount, 'aws');
      await call(t, 'POST', `auth/${mount}/config/client`, {
        body: {
          sts_endpoint: 'https://sts.eu-west-1.amazonaws.com',
          sts_region: 'eu-west-1',
          secret_key: 'canary-aws-config-secret',
          access_key: 'AKIAEXAMPLE',
          iam_server_id_header_value: 'v',
        },
      });
      const read = await call(t, 'GET', `auth/${mount}/config/client`);
      expect(read.body.data).toMatchObject({
        sts_endpoint: 'https://sts.eu-west-1.amazonaws.com',
        sts_region: 'eu-west-1',
        access_key: 'AKIAEXAMPLE',
        iam_server_id_header_value: 'v',
      });
      expect(read.text).not.toContain('canary-aws-config-secret');
    });

    it("a login is checked field by field, with the messages of Vault's aws plugin", async () => {
      const mount = uniq('aws');
      await enableAuth(t, mount, 'aws');
      const good = await signedBody({ accessKeyId: 'AKIAX', secretAccessKey: 's' });
      const cases: Array<[Record<string, unknown>, string]> = [
        [{}, "didn't supply required authentication values"],
        [
          { iam_http_request_method: 'POST' },
          'supplied some of the auth values for the iam auth type but not all',
        ],
        [
          { ...good, iam_http_request_method: 'GET' },
          "invalid iam_http_request_method; currently only 'POST' is supported",
        ],
        [{ ...good, iam_request_url: 'not base64!' }, 'failed to base64 decode iam_request_url'],
        [
          { ...good, iam_request_url: b64('https://sts.amazonaws.com/?Action=GetCallerIdentity') },
          'invalid request',
        ],
        [{ ...good, iam_request_body: b64('Action=AssumeRole&RoleArn=x') }, 'invalid request'],
        [{ ...good, iam_request_headers: b64('{}') }, 'missing iam_request_headers'],
        [{ ...good, pkcs7: 'MIAG' }, 'supplied auth values for both ec2 and iam auth types'],
      ];
      for (const [body, message] of cases) {
        expect(await errorsOf(mount, { role: 'r', ...body })).toEqual({
          status: 400,
          errors: [message],
        });
      }
    });

    it('with iam_server_id_header_value the header must be present, equal and signed', async () => {
      const mount = uniq('aws');
      await enableAuth(t, mount, 'aws');
      await call(t, 'POST', `auth/${mount}/config/client`, {
        body: { iam_server_id_header_value: 'vault.test' },
      });
      const keys = { accessKeyId: 'AKIAX', secretAccessKey: 's' };
      const prefix = 'error validating X-Vault-AWS-IAM-Server-ID header: ';
      expect((await errorsOf(mount, await signedBody(keys))).errors).toEqual([
        `${prefix}missing header "X-Vault-AWS-IAM-Server-ID"`,
      ]);
      expect((await errorsOf(mount, await signedBody(keys, 'other'))).errors).toEqual([
        `${prefix}expected "vault.test" but got "other"`,
      ]);
      // Present and equal, but added after signing: a replay at another Vault could add it too.
      const unsigned = await signedBody(keys);
      const headers = JSON.parse(
        Buffer.from(unsigned.iam_request_headers, 'base64').toString(),
      ) as Record<string, string[]>;
      headers['X-Vault-Aws-Iam-Server-Id'] = ['vault.test'];
      expect((await errorsOf(mount, { ...unsigned, iam_request_headers: headers })).errors).toEqual(
        [`${prefix}vault header wasn't signed`],
      );
    });

    it('sends the signed request to sts_endpoint and maps the caller ARN (assumed role → role) onto the role', async () => {
      const sts = await AwsStsStandIn.start();
      try {
        const mount = uniq('aws');
        await enableAuth(t, mount, 'aws');
        await call(t, 'POST', `auth/${mount}/config/client`, { body: { sts_endpoint: sts.url } });
        await call(t, 'POST', `auth/${mount}/role/worker`, {
          body: {
            bound_iam_principal_arn: 'arn:aws:iam::123456789012:role/worker*',
            resolve_aws_unique_ids: false,
            token_ttl: '10m',
          },
        });
        const session = sts.sessionKeys('worker-blue', 'i-0abc');
        const assumed = await call(t, 'POST', `auth/${mount}/login`, {
          token: null,
          body: { role: 'worker', ...(await signedBody(session)) },
        });
        expect(assumed.status).toBe(200);
        expect(assumed.body.auth.metadata).toMatchObject({
          client_arn: session.arn,
          canonical_arn: 'arn:aws:iam::123456789012:role/worker-blue',
          client_user_id: expect.stringMatching(/^AROA/),
        });
        // Temporary keys signed without their session token: STS refuses them.
        const noToken = {
          accessKeyId: session.accessKeyId,
          secretAccessKey: session.secretAccessKey,
        };
        const refusedBySts = await call(t, 'POST', `auth/${mount}/login`, {
          token: null,
          body: { role: 'worker', ...(await signedBody(noToken)) },
        });
        expect(refusedBySts.status).toBe(400);
        expect(refusedBySts.body.errors[0]).toMatch(
          /^error making upstream request: received error code 403 from STS: .*InvalidClientTokenId/,
        );
        const user = sts.userKeys('worker-ci');
        await call(t, 'POST', `auth/${mount}/role/ci`, {
          body: { bound_iam_principal_arn: user.arn, token_ttl: '10m' },
        });
        const login = await call(t, 'POST', `auth/${mount}/login`, {
          token: null,
          body: { role: 'ci', ...(await signedBody(user)) },
        });
        expect(login.status).toBe(200);
        expect(login.body.auth).toMatchObject({
          lease_duration: 600,
          renewable: true,
          metadata: {
            auth_type: 'iam',
            client_arn: user.arn,
            canonical_arn: user.arn,
            account_id: '123456789012',
          },
        });
        const other = sts.userKeys('someone');
        const refused = await call(t, 'POST', `auth/${mount}/login`, {
          token: null,
          body: { role: 'ci', ...(await signedBody(other)) },
        });
        expect(refused.body).toEqual({
          errors: [`IAM Principal "${other.arn}" does not belong to the role "ci"`],
        });
      } finally {
        await sts.close();
      }
    });
  },
  ['memory'],
);
