/**
 * azure auth through VaultConfigModule, against the test server's azure backend (OpenBao has no
 * azure plugin) with Azure played on 127.0.0.1: the instance metadata service, Entra ID (OpenID
 * configuration, keys, the token endpoint of the workload identity flow) and an AKS cluster's
 * OIDC issuer. Managed identity of a VM and of a scale set, workload identity, renewal and a new
 * login after max TTL with a rotated federated token, refused logins, no token in any output.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { SecretsService, VaultAuthError } from 'nestjs-vault-config';
import { VaultTestServer } from 'nestjs-vault-config-testing';
import { canary, expectNoCanary } from '../support/canary.js';
import { describeTargets, writeKv2 } from '../support/contract-helpers.js';
import { getHealth } from '../support/health-app.js';
import { rootCall, sleep } from '../support/lifecycle-support.js';
import { CapturingLogger, renderError } from '../support/module-support.js';
import type { VaultTarget } from '../support/vault-target.js';
import { AzureStandIn, type AzureVm } from '../support/cloud/azure.stand-in.js';
import { bootCloudApp, bootError, READ_POLICY } from '../support/cloud/cloud-app.js';
import { isolateCloudEnv, type CloudEnv } from '../support/cloud/cloud-env.js';

const SUBSCRIPTION = randomUUID();
const vm: AzureVm = {
  subscriptionId: SUBSCRIPTION,
  resourceGroupName: 'billing-rg',
  name: 'billing-vm-1',
  principalId: randomUUID(),
};
const app = {
  clientId: randomUUID(),
  objectId: randomUUID(),
  subject: 'system:serviceaccount:billing:api',
};

describeTargets(
  'azure auth through VaultConfigModule',
  () => {
    let server: VaultTestServer;
    let target: VaultTarget;
    let azure: AzureStandIn;
    let env: CloudEnv;
    const secret = canary('azure-kv');
    const logger = new CapturingLogger();
    const outputs: string[] = [];
    const apps: INestApplication[] = [];

    const role = (name: string, body: Record<string, unknown>) =>
      rootCall(target, 'POST', `auth/azure/role/${name}`, {
        token_policies: ['azure-read'],
        ...body,
      });

    beforeAll(async () => {
      env = isolateCloudEnv();
      azure = await AzureStandIn.start(vm);
      azure.apps.set(app.clientId, app);
      server = await VaultTestServer.start({
        rootToken: 'root',
        cloud: { azureAuthorityHost: `${azure.url}/` },
      });
      target = { kind: 'memory', url: server.url, rootToken: 'root', stop: () => server.stop() };
      await writeKv2(target, 'azure-e2e/app', { AZURE_E2E_SECRET: secret });
      await rootCall(target, 'PUT', 'sys/policies/acl/azure-read', {
        policy: READ_POLICY('azure-e2e'),
      });
      await rootCall(target, 'POST', 'sys/auth/azure', { type: 'azure' });
      await rootCall(target, 'POST', 'auth/azure/config', {
        tenant_id: azure.tenantId,
        resource: 'https://management.azure.com/',
      });
      await role('billing-vm', {
        bound_subscription_ids: [SUBSCRIPTION],
        bound_resource_groups: ['billing-rg'],
        bound_service_principal_ids: [vm.principalId],
      });
      await role('billing-vmss', {
        bound_scale_sets: ['billing-vmss'],
        bound_resource_groups: ['billing-rg'],
      });
      await role('billing-aks', { bound_service_principal_ids: [app.objectId], token_ttl: '1h' });
    });

    afterAll(async () => {
      for (const a of apps) await a.close().catch(() => undefined);
      expectNoCanary([...logger.lines, ...outputs], [secret, ...azure.secrets()]);
      await Promise.all([azure?.close(), server?.stop()]);
      env?.restore();
    });

    const settings = (auth: Record<string, unknown>) => ({
      address: target.url,
      auth: { method: 'azure', imdsEndpoint: azure.url, ...auth } as never,
      sources: [{ mount: 'secret', path: 'azure-e2e/app' }],
    });

    async function bootAndRead(auth: Record<string, unknown>): Promise<INestApplication> {
      const a = await bootCloudApp(settings(auth), logger);
      apps.push(a);
      expect(a.get(SecretsService).get('AZURE_E2E_SECRET')).toBe(secret);
      expect((await getHealth(a, outputs)).status).toBe(200);
      return a;
    }

    const imdsAsked = (from: number) =>
      azure.requests.slice(from).filter(r => r.path.startsWith('/metadata/'));

    it("a VM's managed identity: IMDS token and instance metadata (subscription, group, VM name)", async () => {
      const from = azure.requests.length;
      const a = await bootAndRead({ role: 'billing-vm' });
      const asked = imdsAsked(from);
      expect(asked.map(r => r.path).sort()).toEqual([
        '/metadata/identity/oauth2/token',
        '/metadata/instance',
      ]);
      expect(asked.every(r => r.headers.metadata === 'true')).toBe(true);
      const tokenAsk = asked.find(r => r.path.endsWith('/token'));
      expect(tokenAsk?.query.get('resource')).toBe('https://management.azure.com/');
      expect(tokenAsk?.query.get('api-version')).toBe('2018-02-01');
      await a.close();
    });

    it('a scale set instance sends vmss_name; IMDS found through AZURE_POD_IDENTITY_AUTHORITY_HOST', async () => {
      azure.vm = { ...vm, vmScaleSetName: 'billing-vmss' };
      env.set({ AZURE_POD_IDENTITY_AUTHORITY_HOST: azure.url });
      try {
        const a = await bootCloudApp(
          {
            ...settings({ role: 'billing-vmss' }),
            auth: { method: 'azure', role: 'billing-vmss' },
          },
          logger,
        );
        apps.push(a);
        expect(a.get(SecretsService).get('AZURE_E2E_SECRET')).toBe(secret);
        await a.close();
      } finally {
        azure.vm = vm;
        env.set({ AZURE_POD_IDENTITY_AUTHORITY_HOST: undefined });
      }
    });

    it('AKS workload identity: the federated token file exchanged at AZURE_AUTHORITY_HOST', async () => {
      const file = join(env.dir, 'azure-identity-token');
      writeFileSync(file, azure.federatedToken(app.subject));
      env.set({
        AZURE_FEDERATED_TOKEN_FILE: file,
        AZURE_CLIENT_ID: app.clientId,
        AZURE_TENANT_ID: azure.tenantId,
        AZURE_AUTHORITY_HOST: azure.url,
      });
      try {
        const from = azure.requests.length;
        const a = await bootAndRead({ role: 'billing-aks' });
        const exchange = azure.requests
          .slice(from)
          .filter(r => r.path.endsWith('/oauth2/v2.0/token'));
        expect(exchange).toHaveLength(1);
        const form = new URLSearchParams(exchange[0].body);
        expect(form.get('scope')).toBe('https://management.azure.com/.default');
        expect(form.get('client_assertion_type')).toBe(
          'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        );
        expect(imdsAsked(from)).toEqual([]); // workload identity needs no instance metadata
        await a.close();
      } finally {
        env.reset();
      }
    });

    it('renews, and after max TTL logs in again reading the rotated federated token', async () => {
      await role('billing-aks-short', {
        bound_service_principal_ids: [app.objectId],
        token_ttl: '2s',
        token_max_ttl: '3s',
      });
      const file = join(env.dir, 'azure-identity-token-short');
      const firstToken = azure.federatedToken(app.subject);
      writeFileSync(file, firstToken);
      env.set({
        AZURE_FEDERATED_TOKEN_FILE: file,
        AZURE_CLIENT_ID: app.clientId,
        AZURE_TENANT_ID: azure.tenantId,
        AZURE_AUTHORITY_HOST: azure.url,
      });
      try {
        const since = logger.lines.length;
        const from = azure.requests.length;
        const a = await bootCloudApp(settings({ role: 'billing-aks-short' }), logger);
        apps.push(a);
        const rotated = azure.federatedToken(app.subject); // kubelet rewrites the projected token
        writeFileSync(file, rotated);
        await sleep(5000);
        const log = logger.lines.slice(since).join('\n');
        expect(log).toMatch(/Vault token renewed \(TTL [12]s\)/);
        expect(log).toMatch(/Vault token replaced by a new azure login/);
        const assertions = azure.requests
          .slice(from)
          .filter(r => r.path.endsWith('/oauth2/v2.0/token'))
          .map(r => new URLSearchParams(r.body).get('client_assertion'));
        expect(assertions[0]).toBe(firstToken);
        expect(assertions.slice(1)).toContain(rotated);
        expect((await getHealth(a, outputs)).status).toBe(200);
        await a.close();
      } finally {
        env.reset();
      }
    });

    it("an identity the role does not bind is refused: VaultAuthError with Vault's reason", async () => {
      await role('other-sp', { bound_service_principal_ids: [randomUUID()] });
      const err = await bootError(settings({ role: 'other-sp' }), logger);
      expect(err).toBeInstanceOf(VaultAuthError);
      expect((err as Error).message).toBe(
        'Vault azure authentication failed: Vault answered 500 at auth/azure/login; check the credentials and the auth mount ' +
          `(service principal not authorized: ${vm.principalId}).`,
      );
      expectNoCanary(renderError(err), azure.secrets());
    });

    it("a token for another audience is refused (Vault's resource differs)", async () => {
      const err = await bootError(
        settings({ role: 'billing-vm', resource: 'https://vault.example.test' }),
        logger,
      );
      expect(err).toBeInstanceOf(VaultAuthError);
      expect((err as Error).message).toContain(
        'oidc: expected audience "https://management.azure.com/" got ["https://vault.example.test"]',
      );
      expectNoCanary(renderError(err), azure.secrets());
    });

    it("a federated token Entra ID does not trust: the error carries Entra's code, not the token", async () => {
      const file = join(env.dir, 'azure-identity-token-bad');
      const token = azure.federatedToken('system:serviceaccount:other:intruder');
      writeFileSync(file, token);
      env.set({
        AZURE_FEDERATED_TOKEN_FILE: file,
        AZURE_CLIENT_ID: app.clientId,
        AZURE_TENANT_ID: azure.tenantId,
        AZURE_AUTHORITY_HOST: azure.url,
      });
      try {
        const err = await bootError(settings({ role: 'billing-aks' }), logger);
        expect((err as Error).message).toBe(
          `Vault azure authentication failed: cannot get the workload identity access token: ${azure.url}/${azure.tenantId}/oauth2/v2.0/token ` +
            'answered 400 (invalid_client: AADSTS70021: No matching federated identity record found for presented assertion.).',
        );
        expectNoCanary(renderError(err), [token]);
      } finally {
        env.reset();
      }
    });
  },
  ['memory'],
);
