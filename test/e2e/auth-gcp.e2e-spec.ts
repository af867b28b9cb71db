/**
 * gcp auth through VaultConfigModule, against the test server's gcp backend (OpenBao has no gcp
 * plugin) with Google played on 127.0.0.1: the GCE metadata server (GCE_METADATA_HOST) and Google's
 * APIs (OpenID keys, service account keys, IAM, IAM Credentials signJwt), which Vault reaches
 * through `custom_endpoint`. gce and iam logins, renewal and a new login after max TTL, refused
 * logins, and no access token or signed JWT in any log, error or /health.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { SecretsService, VaultAuthError } from 'nestjs-vault-config';
import { canary, expectNoCanary } from '../support/canary.js';
import { describeTargets, writeKv2 } from '../support/contract-helpers.js';
import { getHealth } from '../support/health-app.js';
import { rootCall, sleep } from '../support/lifecycle-support.js';
import { CapturingLogger, renderError } from '../support/module-support.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';
import { bootCloudApp, bootError, READ_POLICY } from '../support/cloud/cloud-app.js';
import { isolateCloudEnv, type CloudEnv } from '../support/cloud/cloud-env.js';
import { GcpStandIn, type GcpServiceAccount } from '../support/cloud/gcp.stand-in.js';

const PROJECT = 'billing-prod';
const instanceSa: GcpServiceAccount = {
  email: `billing-vm@${PROJECT}.iam.gserviceaccount.com`,
  uniqueId: '104582917365820174901',
  projectId: PROJECT,
};
const apiSa: GcpServiceAccount = {
  email: `billing-api@${PROJECT}.iam.gserviceaccount.com`,
  uniqueId: '104582917365820174902',
  projectId: PROJECT,
};

describeTargets(
  'gcp auth through VaultConfigModule',
  kind => {
    let target: VaultTarget;
    let google: GcpStandIn;
    let env: CloudEnv;
    const secret = canary('gcp-kv');
    const logger = new CapturingLogger();
    const outputs: string[] = [];
    const apps: INestApplication[] = [];

    const role = (name: string, body: Record<string, unknown>) =>
      rootCall(target, 'POST', `auth/gcp/role/${name}`, {
        token_policies: ['gcp-read'],
        token_ttl: '1h',
        ...body,
      });

    beforeAll(async () => {
      env = isolateCloudEnv();
      target = await startTarget(kind);
      google = await GcpStandIn.start(instanceSa, {
        projectId: PROJECT,
        projectNumber: 715834091762,
        zone: 'europe-west1-b',
        instanceId: '4410927723648372891',
        instanceName: 'billing-vm-1',
      });
      google.addAccount(apiSa);
      google.allowSigning(instanceSa.email, apiSa.email);
      env.set({ GCE_METADATA_HOST: google.metadata.host });
      await writeKv2(target, 'gcp-e2e/app', { GCP_E2E_SECRET: secret });
      await rootCall(target, 'PUT', 'sys/policies/acl/gcp-read', {
        policy: READ_POLICY('gcp-e2e'),
      });
      await rootCall(target, 'POST', 'sys/auth/gcp', { type: 'gcp' });
      await rootCall(target, 'POST', 'auth/gcp/config', {
        custom_endpoint: { api: google.apis.url, iam: google.apis.url },
      });
      await role('billing-gce', {
        type: 'gce',
        bound_projects: [PROJECT],
        bound_zones: ['europe-west1-b'],
        bound_service_accounts: [instanceSa.email],
      });
      await role('billing-iam', { type: 'iam', bound_service_accounts: [apiSa.email] });
      await role('billing-self', { type: 'iam', bound_service_accounts: [instanceSa.email] });
    });

    afterAll(async () => {
      for (const app of apps) await app.close().catch(() => undefined);
      expectNoCanary([...logger.lines, ...outputs], [secret, ...google.secrets()]);
      await Promise.all([google?.close(), target?.stop()]);
      env?.restore();
    });

    const settings = (auth: Record<string, unknown>) => ({
      address: target.url,
      auth: { method: 'gcp', ...auth } as never,
      sources: [{ mount: 'secret', path: 'gcp-e2e/app' }],
    });

    async function bootAndRead(auth: Record<string, unknown>): Promise<INestApplication> {
      const app = await bootCloudApp(settings(auth), logger);
      apps.push(app);
      expect(app.get(SecretsService).get('GCP_E2E_SECRET')).toBe(secret);
      expect((await getHealth(app, outputs)).status).toBe(200);
      return app;
    }

    it('gce: the instance identity token (audience vault/<role>, format=full) logs in', async () => {
      const from = google.metadata.requests.length;
      const app = await bootAndRead({ role: 'billing-gce', type: 'gce' });
      const asked = google.metadata.requests.slice(from).filter(r => r.path.endsWith('/identity'));
      expect(asked).toHaveLength(1);
      expect(asked[0].query.get('audience')).toBe('vault/billing-gce');
      expect(asked[0].query.get('format')).toBe('full');
      expect(asked[0].headers['metadata-flavor']).toBe('Google');
      await app.close();
    });

    it('iam: a JWT signed by signJwt for another service account, with the ADC of the metadata server', async () => {
      const from = google.apis.requests.length;
      const app = await bootAndRead({
        role: 'billing-iam',
        type: 'iam',
        serviceAccountEmail: apiSa.email,
        iamCredentialsEndpoint: google.apis.url,
      });
      const sign = google.apis.requests.slice(from).filter(r => r.path.endsWith(':signJwt'));
      expect(sign.map(r => r.path)).toEqual([
        `/v1/projects/-/serviceAccounts/${encodeURIComponent(apiSa.email)}:signJwt`,
      ]);
      const payload = JSON.parse((JSON.parse(sign[0].body) as { payload: string }).payload);
      expect(payload).toMatchObject({ sub: apiSa.email, aud: 'vault/billing-iam' });
      expect(payload.exp - Date.now() / 1000).toBeLessThanOrEqual(600);
      await app.close();
    });

    it("iam: without serviceAccountEmail, the credentials' own service account", async () => {
      const app = await bootAndRead({
        role: 'billing-self',
        type: 'iam',
        iamCredentialsEndpoint: google.apis.url,
      });
      await app.close();
    });

    it('renews its token, and after max TTL logs in again with a new identity token', async () => {
      await role('billing-gce-short', {
        type: 'gce',
        bound_projects: [PROJECT],
        token_ttl: '2s',
        token_max_ttl: '3s',
      });
      const since = logger.lines.length;
      const from = google.metadata.requests.length;
      const app = await bootCloudApp(settings({ role: 'billing-gce-short', type: 'gce' }), logger);
      apps.push(app);
      await sleep(5000);
      const log = logger.lines.slice(since).join('\n');
      expect(log).toMatch(/Vault token renewed \(TTL [12]s\)/);
      expect(log).toMatch(/Vault token replaced by a new gcp login/);
      const identity = google.metadata.requests
        .slice(from)
        .filter(r => r.path.endsWith('/identity'));
      expect(identity.length).toBeGreaterThanOrEqual(2);
      await expect(app.get(SecretsService).refresh()).resolves.toMatchObject({ changed: false });
      expect((await getHealth(app, outputs)).status).toBe(200);
      await app.close();
    });

    it("a service account the role does not bind is refused: VaultAuthError with Vault's reason", async () => {
      const err = await bootError(
        settings({ role: 'billing-iam', type: 'iam', iamCredentialsEndpoint: google.apis.url }),
        logger,
      );
      expect(err).toBeInstanceOf(VaultAuthError);
      expect((err as Error).message).toBe(
        'Vault gcp authentication failed: Vault answered 400 at auth/gcp/login; check the credentials and the auth mount ' +
          `(service account ${instanceSa.email} (id: ${instanceSa.uniqueId}) is not authorized for role).`,
      );
      expectNoCanary(renderError(err), google.secrets());
    });

    it('signJwt refused (no iam.serviceAccounts.signJwt) names the account and status, never the token', async () => {
      const other = `unrelated@${PROJECT}.iam.gserviceaccount.com`;
      google.addAccount({ email: other, uniqueId: '104582917365820174999', projectId: PROJECT });
      const err = await bootError(
        settings({
          role: 'billing-iam',
          type: 'iam',
          serviceAccountEmail: other,
          iamCredentialsEndpoint: google.apis.url,
        }),
        logger,
      );
      expect(err).toBeInstanceOf(VaultAuthError);
      expect((err as Error).message).toBe(
        `Vault gcp authentication failed: signJwt for ${other} failed at ${google.apis.url}: HTTP 403 PERMISSION_DENIED.`,
      );
      expectNoCanary(renderError(err), google.secrets());
    });

    it('no metadata server: the error says where it looked', async () => {
      env.set({ GCE_METADATA_HOST: '127.0.0.1:9' });
      try {
        const err = await bootError(settings({ role: 'billing-gce', type: 'gce' }), logger);
        expect((err as Error).message).toMatch(
          /^Vault gcp authentication failed: cannot get the instance identity token from the GCE metadata server \(127\.0\.0\.1:9\): /,
        );
      } finally {
        env.set({ GCE_METADATA_HOST: google.metadata.host });
      }
    });
  },
  ['memory'],
);
