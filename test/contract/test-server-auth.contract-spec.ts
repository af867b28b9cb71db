/**
 * Test-server-only: AppRole secret IDs expiring on the test clock; Kubernetes login (the same
 * checks against OpenBao too: kubernetes-auth.contract-spec.ts).
 */
import { expect, it } from '@jest/globals';
import {
  call,
  describeTargets,
  enableAuth,
  kv2Write,
  putPolicy,
  uniq,
} from '../support/contract-helpers.js';
import { KubernetesApiStandIn } from '../support/kubernetes-api.stand-in.js';
import { memoryTargetHooks } from '../support/memory-target.js';
import type { MemoryServerControl, VaultTarget } from '../support/vault-target.js';

// Exists only on the in-memory server.
describeTargets(
  'test-server-only features',
  kind => {
    let t: VaultTarget;
    let mem: MemoryServerControl;
    memoryTargetHooks(kind, (target, memory) => {
      t = target;
      mem = memory;
    });

    it('expires a secret_id at its TTL when the clock advances', async () => {
      const mount = uniq('ar');
      await enableAuth(t, mount, 'approle');
      const role = uniq('role');
      await call(t, 'POST', `auth/${mount}/role/${role}`, {
        body: { secret_id_ttl: '60s', token_ttl: '10m' },
      });
      const roleId = (await call(t, 'GET', `auth/${mount}/role/${role}/role-id`)).body.data.role_id;
      const sid = await call(t, 'POST', `auth/${mount}/role/${role}/secret-id`, { body: {} });
      expect(sid.body.data.secret_id_ttl).toBe(60);
      const body = { role_id: roleId, secret_id: sid.body.data.secret_id };
      const login = await call(t, 'POST', `auth/${mount}/login`, { token: null, body });
      expect(login.status).toBe(200);
      const token = login.body.auth.client_token as string;
      mem.clock.advance(61_000);
      const late = await call(t, 'POST', `auth/${mount}/login`, { token: null, body });
      expect(late.status).toBe(400);
      expect(late.body).toEqual({ errors: ['invalid role or secret ID'] });
      expect(
        (await call(t, 'GET', 'auth/token/lookup-self', { token })).body.data.ttl,
      ).toBeLessThanOrEqual(540);
      mem.clock.advance(10 * 60_000);
      expect((await call(t, 'GET', 'auth/token/lookup-self', { token })).status).toBe(403);
    });

    it('logs in with Kubernetes auth, checking bound names and namespaces', async () => {
      await enableAuth(t, 'kubernetes', 'kubernetes');
      const k8s = await KubernetesApiStandIn.start();
      await call(t, 'POST', 'auth/kubernetes/config', { body: k8s.vaultConfig() });
      const serviceAccountJwt = (namespace: string, name: string) =>
        k8s.serviceAccountToken({ namespace, name });
      const policy = uniq('k8s');
      await putPolicy(t, policy, 'path "secret/data/k8s/*" { capabilities = ["read"] }');
      const role = uniq('role');
      const created = await call(t, 'POST', `auth/kubernetes/role/${role}`, {
        body: {
          bound_service_account_names: ['demo'],
          bound_service_account_namespaces: ['default'],
          token_policies: [policy],
          token_ttl: '1h',
        },
      });
      expect(created.status).toBe(204);
      const ok = await call(t, 'POST', 'auth/kubernetes/login', {
        token: null,
        body: { role, jwt: serviceAccountJwt('default', 'demo') },
      });
      expect(ok.status).toBe(200);
      expect(ok.body.auth).toMatchObject({
        policies: ['default', policy].sort(),
        lease_duration: 3600,
        metadata: { role, service_account_name: 'demo', service_account_namespace: 'default' },
      });
      await kv2Write(t, 'secret', 'k8s/app', { a: 1 });
      const read = await call(t, 'GET', 'secret/data/k8s/app', {
        token: ok.body.auth.client_token,
      });
      expect(read.status).toBe(200);
      // Vault's kubernetes plugin (path_login.go) answers these two with 403 and these messages.
      const wrongName = await call(t, 'POST', 'auth/kubernetes/login', {
        token: null,
        body: { role, jwt: serviceAccountJwt('default', 'intruder') },
      });
      expect(wrongName.status).toBe(403);
      expect(wrongName.body).toEqual({ errors: ['service account name not authorized'] });
      const wrongNs = await call(t, 'POST', 'auth/kubernetes/login', {
        token: null,
        body: { role, jwt: serviceAccountJwt('other', 'demo') },
      });
      expect(wrongNs.status).toBe(403);
      expect(wrongNs.body).toEqual({ errors: ['namespace not authorized'] });
      await k8s.stop();
    });
  },
  ['memory'],
);
