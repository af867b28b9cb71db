/**
 * aws auth (IAM type) through VaultConfigModule, against the test server's aws backend (OpenBao has
 * no aws plugin) with AWS played on 127.0.0.1: an STS that recomputes each SigV4 signature, IMDSv2
 * and the ECS credentials endpoint. Every source of the AWS default chain logs in; tokens renew
 * and a new login after max TTL uses rotated credentials; refused logins read well; no key,
 * session token or signature reaches a log, an error or /health.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { SecretsService, VaultAuthError } from 'nestjs-vault-config';
import { canary, expectNoCanary } from '../support/canary.js';
import { describeTargets, writeKv2 } from '../support/contract-helpers.js';
import { getHealth } from '../support/health-app.js';
import { rootCall, sleep } from '../support/lifecycle-support.js';
import { CapturingLogger, renderError } from '../support/module-support.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';
import { AwsMetadataStandIn } from '../support/cloud/aws-metadata.stand-in.js';
import { AwsStsStandIn } from '../support/cloud/aws-sts.stand-in.js';
import { bootCloudApp, bootError, READ_POLICY } from '../support/cloud/cloud-app.js';
import { isolateCloudEnv, type CloudEnv } from '../support/cloud/cloud-env.js';
import { newSigningKey, nowS, signJwt } from '../support/cloud/test-jwt.js';

const ACCOUNT = '123456789012';
const SERVER_ID = 'vault.example.test';

describeTargets(
  'aws auth through VaultConfigModule',
  kind => {
    let target: VaultTarget;
    let sts: AwsStsStandIn;
    let md: AwsMetadataStandIn;
    let env: CloudEnv;
    const secret = canary('aws-kv');
    const logger = new CapturingLogger();
    const outputs: string[] = [];
    const apps: INestApplication[] = [];
    const oidc = newSigningKey();
    const oidcIssuer = 'https://oidc.eks.eu-west-1.amazonaws.com/id/TESTCLUSTER';
    const webToken = signJwt(oidc, {
      iss: oidcIssuer,
      aud: 'sts.amazonaws.com',
      sub: 'system:serviceaccount:billing:api',
      exp: nowS() + 3600,
      jti: canary('web-identity'),
    });

    const role = (name: string, arn: string, ttl = { token_ttl: '1h', token_max_ttl: '2h' }) =>
      rootCall(target, 'POST', `auth/aws/role/${name}`, {
        auth_type: 'iam',
        bound_iam_principal_arn: [arn],
        resolve_aws_unique_ids: false,
        token_policies: ['aws-read'],
        ...ttl,
      });

    beforeAll(async () => {
      env = isolateCloudEnv();
      target = await startTarget(kind);
      sts = await AwsStsStandIn.start();
      md = await AwsMetadataStandIn.start(sts, 'billing-node');
      await writeKv2(target, 'aws-e2e/app', { AWS_E2E_SECRET: secret });
      await rootCall(target, 'PUT', 'sys/policies/acl/aws-read', {
        policy: READ_POLICY('aws-e2e'),
      });
      await rootCall(target, 'POST', 'sys/auth/aws', { type: 'aws' });
      await rootCall(target, 'POST', 'auth/aws/config/client', {
        sts_endpoint: sts.url,
        iam_server_id_header_value: SERVER_ID,
      });
      await role('ci', `arn:aws:iam::${ACCOUNT}:user/ci`);
      await role('dev', `arn:aws:iam::${ACCOUNT}:user/dev`);
      await role('irsa', `arn:aws:iam::${ACCOUNT}:role/billing-irsa`);
      await role('node', `arn:aws:iam::${ACCOUNT}:role/billing-node`);
      sts.trustWebIdentity(`arn:aws:iam::${ACCOUNT}:role/billing-irsa`, {
        issuerKey: oidc,
        issuer: oidcIssuer,
        subject: 'system:serviceaccount:billing:api',
      });
    });

    afterAll(async () => {
      for (const app of apps) await app.close().catch(() => undefined);
      expectNoCanary(
        [...logger.lines, ...outputs],
        [secret, webToken, ...sts.secrets(), ...sts.principals.keys(), ...md.secrets()],
      );
      await Promise.all([sts?.close(), md?.close(), target?.stop()]);
      env?.restore();
    });

    const settings = (vaultRole: string, extra: Record<string, unknown> = {}) => ({
      address: target.url,
      auth: { method: 'aws' as const, role: vaultRole, iamServerIdHeader: SERVER_ID, ...extra },
      sources: [{ mount: 'secret', path: 'aws-e2e/app' }],
    });

    async function bootAndCheck(vaultRole: string, accessKeyId: string) {
      const before = sts.calls.length;
      const app = await bootCloudApp(settings(vaultRole), logger);
      apps.push(app);
      expect(app.get(SecretsService).get('AWS_E2E_SECRET')).toBe(secret);
      // The login was STS-verified with exactly the keys this source hands out.
      expect(sts.calls.slice(before).map(c => c.accessKeyId)).toEqual([accessKeyId]);
      expect(sts.calls.at(-1)).toMatchObject({
        host: 'sts.amazonaws.com',
        serverIdHeader: SERVER_ID,
      });
      const health = await getHealth(app, outputs);
      expect(health.status).toBe(200);
      await app.close();
    }

    it('environment variables (access key, secret key)', async () => {
      const keys = sts.userKeys('ci');
      env.reset();
      env.set({ AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey });
      await bootAndCheck('ci', keys.accessKeyId);
    });

    it('the shared credentials file, with the profile AWS_PROFILE names', async () => {
      const other = sts.userKeys('someone-else');
      const dev = sts.userKeys('dev');
      const file = join(env.dir, 'credentials');
      writeFileSync(
        file,
        `[default]\naws_access_key_id = ${other.accessKeyId}\naws_secret_access_key = ${other.secretAccessKey}\n\n` +
          `[vault]\naws_access_key_id = ${dev.accessKeyId}\naws_secret_access_key = ${dev.secretAccessKey}\n`,
      );
      env.reset();
      env.set({ AWS_SHARED_CREDENTIALS_FILE: file, AWS_PROFILE: 'vault' });
      await bootAndCheck('dev', dev.accessKeyId);
    });

    it('a web identity token file (EKS IRSA), exchanged at STS (AWS_ENDPOINT_URL_STS)', async () => {
      const file = join(env.dir, 'web-identity-token');
      writeFileSync(file, webToken);
      env.reset();
      env.set({
        AWS_WEB_IDENTITY_TOKEN_FILE: file,
        AWS_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/billing-irsa`,
        AWS_ROLE_SESSION_NAME: 'billing-api',
        AWS_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL_STS: sts.url,
      });
      const before = sts.principals.size;
      const app = await bootCloudApp(settings('irsa'), logger);
      apps.push(app);
      expect(app.get(SecretsService).get('AWS_E2E_SECRET')).toBe(secret);
      const session = [...sts.principals.values()].slice(before);
      expect(session.map(p => p.arn)).toEqual([
        `arn:aws:sts::${ACCOUNT}:assumed-role/billing-irsa/billing-api`,
      ]);
      expect(sts.calls.at(-1)?.accessKeyId).toBe(session[0].accessKeyId);
      await app.close();
    });

    it('the ECS container credentials endpoint (full URI and authorization token)', async () => {
      env.reset();
      env.set({
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `${md.url}/ecs/credentials`,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: md.containerToken,
      });
      await bootAndCheck('node', md.current.accessKeyId);
      expect(md.requests.some(r => r.path === '/ecs/credentials')).toBe(true);
    });

    it('EC2 instance metadata, IMDSv2 only (a session token on every read)', async () => {
      env.reset();
      env.set({ AWS_EC2_METADATA_DISABLED: undefined, AWS_EC2_METADATA_SERVICE_ENDPOINT: md.url });
      const from = md.requests.length;
      await bootAndCheck('node', md.current.accessKeyId);
      const asked = md.requests.slice(from);
      expect(asked[0]).toMatchObject({ method: 'PUT', path: '/latest/api/token' });
      expect(
        asked.slice(1).every(r => typeof r.headers['x-aws-ec2-metadata-token'] === 'string'),
      ).toBe(true);
    });

    it('renews its token, and after max TTL logs in again with the rotated credentials', async () => {
      await role('node-short', `arn:aws:iam::${ACCOUNT}:role/billing-node`, {
        token_ttl: '2s',
        token_max_ttl: '3s',
      });
      env.reset();
      env.set({ AWS_EC2_METADATA_DISABLED: undefined, AWS_EC2_METADATA_SERVICE_ENDPOINT: md.url });
      const first = md.current.accessKeyId;
      const since = logger.lines.length;
      const app = await bootCloudApp(settings('node-short'), logger);
      apps.push(app);
      const rotated = md.rotate().accessKeyId; // EC2 rotates the role's keys
      await sleep(5000); // past the 3 s max TTL
      const log = logger.lines.slice(since).join('\n');
      expect(log).toMatch(/Vault token renewed \(TTL [12]s\)/);
      expect(log).toMatch(/Vault token replaced by a new aws login/);
      expect(log).not.toMatch(/renewal failed/);
      const used = sts.calls.map(c => c.accessKeyId);
      expect(used).toContain(first);
      expect(used).toContain(rotated);
      await expect(app.get(SecretsService).refresh()).resolves.toMatchObject({ changed: false });
      expect((await getHealth(app, outputs)).status).toBe(200);
      await app.close();
    });

    it('a refused login (principal not bound to the role) is a VaultAuthError naming method, mount and reason', async () => {
      const keys = sts.userKeys('intruder');
      env.reset();
      env.set({ AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey });
      const err = await bootError(settings('ci'), logger);
      expect(err).toBeInstanceOf(VaultAuthError);
      expect((err as Error).message).toBe(
        'Vault aws authentication failed: Vault answered 400 at auth/aws/login; check the credentials ' +
          `and the auth mount (IAM Principal "arn:aws:iam::${ACCOUNT}:user/intruder" does not belong to the role "ci").`,
      );
      expectNoCanary(renderError(err), [keys.secretAccessKey]);
      expect(renderError(err).join('\n')).not.toContain(keys.accessKeyId);
    });

    it("a wrong server ID header, and keys STS does not know, are refused with Vault's reason", async () => {
      const keys = sts.userKeys('ci');
      env.reset();
      env.set({ AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey });
      const wrongHeader = await bootError(
        settings('ci', { iamServerIdHeader: 'other-vault' }),
        logger,
      );
      expect((wrongHeader as Error).message).toContain(
        `error validating X-Vault-AWS-IAM-Server-ID header: expected "${SERVER_ID}" but got "other-vault"`,
      );
      const forged = canary('forged-secret');
      env.set({ AWS_SECRET_ACCESS_KEY: forged });
      const badSignature = await bootError(settings('ci'), logger);
      expect(badSignature).toBeInstanceOf(VaultAuthError);
      expect((badSignature as Error).message).toMatch(
        /received error code 403 from STS: <ErrorResponse .*<Code>SignatureDoesNotMatch<\/Code>/,
      );
      expectNoCanary(
        [...renderError(wrongHeader), ...renderError(badSignature)],
        [forged, keys.secretAccessKey],
      );
    });

    it('signs for the regional endpoint when region is set (Vault configured for that region)', async () => {
      await rootCall(target, 'POST', 'sys/auth/aws-eu', { type: 'aws' });
      await rootCall(target, 'POST', 'auth/aws-eu/config/client', {
        sts_endpoint: sts.url,
        sts_region: 'eu-west-1',
      });
      await rootCall(target, 'POST', 'auth/aws-eu/role/ci', {
        auth_type: 'iam',
        bound_iam_principal_arn: `arn:aws:iam::${ACCOUNT}:user/ci`,
        token_policies: 'aws-read',
      });
      const keys = sts.userKeys('ci');
      env.reset();
      env.set({ AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey });
      const app = await bootCloudApp(
        {
          ...settings('ci'),
          auth: { method: 'aws', role: 'ci', mount: 'aws-eu', region: 'eu-west-1' },
        },
        logger,
      );
      apps.push(app);
      expect(sts.calls.at(-1)).toMatchObject({
        accessKeyId: keys.accessKeyId,
        host: 'sts.eu-west-1.amazonaws.com',
        region: 'eu-west-1',
      });
      await app.close();
    });

    it('a Vault answer that echoes the session token gets it redacted in the error', async () => {
      env.reset();
      env.set({ AWS_EC2_METADATA_DISABLED: undefined, AWS_EC2_METADATA_SERVICE_ENDPOINT: md.url });
      const session = md.current;
      const fault = target.memory!.faults.inject({
        path: '/v1/auth/aws/login',
        status: 400,
        body: { errors: [`token ${session.sessionToken} key ${session.accessKeyId} refused`] },
      });
      try {
        const err = await bootError(settings('node'), logger);
        expect(err).toBeInstanceOf(VaultAuthError);
        expect((err as VaultAuthError).vaultErrors).toEqual([
          'token [REDACTED] key [REDACTED] refused',
        ]);
        expect(inspect(err)).not.toContain(session.sessionToken);
        expect(renderError(err).join('\n')).not.toContain(session.accessKeyId);
      } finally {
        fault.remove();
      }
    });
  },
  ['memory'],
);
