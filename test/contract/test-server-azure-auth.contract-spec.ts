/**
 * Test-server-only (OpenBao has no azure plugin): the azure auth backend's API as Vault's plugin
 * serves it — config, roles, and a login whose access token is verified against the tenant's
 * OpenID configuration (a local Entra ID stand-in), then the role's bindings. Like the plugin, a
 * token or binding that fails verification is a 500 carrying the reason.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { VaultTestServer } from 'nestjs-vault-config-testing';
import { call, describeTargets } from '../support/contract-helpers.js';
import { AzureStandIn, type AzureVm } from '../support/cloud/azure.stand-in.js';
import { newSigningKey, nowS, signJwt } from '../support/cloud/test-jwt.js';

const vm: AzureVm = {
  subscriptionId: randomUUID(),
  resourceGroupName: 'rg-a',
  name: 'vm-a',
  principalId: randomUUID(),
};
const RESOURCE = 'https://management.azure.com/';

describeTargets(
  'test server: azure auth backend',
  () => {
    let server: VaultTestServer;
    let azure: AzureStandIn;
    const t = { url: '', rootToken: 'root' };

    beforeAll(async () => {
      azure = await AzureStandIn.start(vm);
      server = await VaultTestServer.start({
        rootToken: 'root',
        cloud: { azureAuthorityHost: `${azure.url}/` },
      });
      t.url = server.url;
      await call(t, 'POST', 'sys/auth/azure', { body: { type: 'azure' } });
    });
    afterAll(async () => {
      await server?.stop();
      await azure?.close();
    });

    /** An access token as the stand-in's IMDS issues it, with claims changed. */
    const token = (claims: Record<string, unknown> = {}, key = azure.entraKey) =>
      signJwt(key, {
        aud: RESOURCE,
        iss: azure.issuer,
        exp: nowS() + 600,
        nbf: nowS() - 5,
        oid: vm.principalId,
        xms_mirid: `/subscriptions/${vm.subscriptionId}/resourcegroups/rg-a/providers/Microsoft.Compute/virtualMachines/vm-a`,
        ...claims,
      });
    const login = async (body: Record<string, unknown>) => {
      const res = await call(t, 'POST', 'auth/azure/login', { token: null, body });
      return {
        status: res.status,
        errors: res.body?.errors as string[] | undefined,
        body: res.body,
      };
    };
    const onVm = {
      subscription_id: vm.subscriptionId,
      resource_group_name: 'rg-a',
      vm_name: 'vm-a',
    };

    it('config and roles as the plugin keeps them; a login before tenant_id is set says so', async () => {
      expect(
        (await call(t, 'POST', 'auth/azure/role/empty', { body: { token_ttl: '1h' } })).body,
      ).toEqual({
        errors: ['must have at least one bound constraint when creating/updating a role'],
      });
      await call(t, 'POST', 'auth/azure/role/vm', {
        body: {
          bound_subscription_ids: vm.subscriptionId,
          bound_resource_groups: 'rg-a',
          token_ttl: '15m',
        },
      });
      expect(await login({ role: 'vm', jwt: token(), ...onVm })).toMatchObject({
        status: 500,
        errors: ['unable to retrieve backend configuration: tenant_id is required'],
      });
      await call(t, 'POST', 'auth/azure/config', {
        body: {
          tenant_id: azure.tenantId,
          resource: RESOURCE,
          client_secret: 'canary-azure-client-secret',
        },
      });
      const config = await call(t, 'GET', 'auth/azure/config');
      expect(config.body.data).toMatchObject({ tenant_id: azure.tenantId, resource: RESOURCE });
      expect(config.text).not.toContain('canary-azure-client-secret');
      expect((await call(t, 'GET', 'auth/azure/role/vm')).body.data).toMatchObject({
        bound_subscription_ids: [vm.subscriptionId],
        bound_resource_groups: ['rg-a'],
        token_ttl: 900,
      });
    });

    it("a VM's token with its subscription, group and name logs in, with that metadata", async () => {
      const res = await login({ role: 'vm', jwt: token(), ...onVm });
      expect(res.status).toBe(200);
      expect(res.body.auth).toMatchObject({
        lease_duration: 900,
        metadata: {
          role: 'vm',
          subscription_id: vm.subscriptionId,
          resource_group_name: 'rg-a',
          vm_name: 'vm-a',
        },
      });
    });

    it("the token is verified: signature, issuer, audience, expiry (go-oidc's messages)", async () => {
      const verify = async (jwt: string) => (await login({ role: 'vm', jwt, ...onVm })).errors?.[0];
      expect(await verify(token({}, { ...newSigningKey(), kid: azure.entraKey.kid }))).toBe(
        'failed to verify signature: failed to verify id token signature',
      );
      expect(await verify(token({ iss: 'https://sts.windows.net/other-tenant/' }))).toBe(
        `oidc: id token issued by a different provider, expected "${azure.issuer}" got "https://sts.windows.net/other-tenant/"`,
      );
      expect(await verify(token({ aud: 'https://vault.example.test' }))).toBe(
        `oidc: expected audience "${RESOURCE}" got ["https://vault.example.test"]`,
      );
      expect(await verify(token({ exp: nowS() - 60 }))).toMatch(
        /^oidc: token is expired \(Token Expiry: /,
      );
      expect((await login({ role: 'vm', ...onVm })).errors).toEqual(['jwt is required']);
      expect((await login({ role: 'nope', jwt: token() })).errors).toEqual([
        'invalid role name "nope"',
      ]);
    });

    it("the VM named must be the token's identity, and in the bound subscription and group", async () => {
      const res = (body: Record<string, unknown>) => login({ role: 'vm', jwt: token(), ...body });
      expect((await res({ ...onVm, vm_name: 'vm-b' })).errors).toEqual([
        'token object id does not match expected identities',
      ]);
      expect((await res({ vm_name: 'vm-a' })).errors).toEqual([
        'subscription_id and resource_group_name are required',
      ]);
      await call(t, 'POST', 'auth/azure/role/other-group', {
        body: { bound_resource_groups: 'rg-b' },
      });
      expect((await login({ role: 'other-group', jwt: token(), ...onVm })).errors).toEqual([
        'resource group not authorized',
      ]);
      await call(t, 'POST', 'auth/azure/role/sp', {
        body: { bound_service_principal_ids: randomUUID() },
      });
      expect((await login({ role: 'sp', jwt: token() })).errors).toEqual([
        `service principal not authorized: ${vm.principalId}`,
      ]);
    });
  },
  ['memory'],
);
