import { get as httpGet } from 'node:http';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import {
  call,
  describeTargets,
  enableAuth,
  kv2Write,
  putPolicy,
  uniq,
} from '../support/contract-helpers.js';
import {
  startTarget,
  type MemoryServerControl,
  type VaultTarget,
} from '../support/vault-target.js';

/** GET on a new connection (no keep-alive pool). */
function freshGet(target: string, token: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpGet(target, { agent: false, headers: { 'X-Vault-Token': token } }, res => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', chunk => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
  });
}

/** An unsigned service-account JWT: the test server decodes claims without checking signatures. */
function serviceAccountJwt(namespace: string, name: string): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return [
    b64({ alg: 'none', typ: 'JWT' }),
    b64({
      iss: 'kubernetes/serviceaccount',
      sub: `system:serviceaccount:${namespace}:${name}`,
      'kubernetes.io/serviceaccount/namespace': namespace,
      'kubernetes.io/serviceaccount/service-account.name': name,
      'kubernetes.io/serviceaccount/service-account.uid': '11111111-2222-3333-4444-555555555555',
    }),
    'unsigned',
  ].join('.');
}

// Fault injection, the clock, Kubernetes login, restart, stats and dynamic database credentials
// exist only on the in-memory server (real Vault needs a cluster / a database for the last two).
describeTargets(
  'test-server-only features',
  kind => {
    let t: VaultTarget;
    let mem: MemoryServerControl;
    beforeAll(async () => {
      t = await startTarget(kind);
      mem = t.memory as MemoryServerControl;
    });
    afterAll(async () => {
      mem?.faults.clear();
      await t?.stop();
    });

    const url = (path: string) => `${t.url}/v1/${path}`;
    const headers = () => ({ 'X-Vault-Token': t.rootToken });

    it('injects latency, then answers normally', async () => {
      const path = `secret/data/${uniq('slow')}`;
      const fault = mem.faults.inject({ path: `/v1/${path}`, latencyMs: 200 });
      try {
        const started = Date.now();
        const res = await call(t, 'GET', path);
        expect(Date.now() - started).toBeGreaterThanOrEqual(190);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ errors: [] });
      } finally {
        fault.remove();
      }
    });

    it('injects a status with a body, only for the matching method', async () => {
      const path = uniq('boom');
      await kv2Write(t, 'secret', path, { a: 1 });
      const fault = mem.faults.inject({
        path: `/v1/secret/data/${path}`,
        method: 'GET',
        status: 500,
        body: { errors: ['injected failure'] },
      });
      try {
        const res = await call(t, 'GET', `secret/data/${path}`);
        expect(res.status).toBe(500);
        expect(res.body).toEqual({ errors: ['injected failure'] });
        const meta = await call(t, 'GET', `secret/metadata/${path}`);
        expect(meta.status).toBe(200);
        const write = await call(t, 'POST', `secret/data/${path}`, { body: { data: { a: 2 } } });
        expect(write.status).toBe(200);
      } finally {
        fault.remove();
      }
      expect((await call(t, 'GET', `secret/data/${path}`)).body.data.data).toEqual({ a: 2 });
    });

    it('resets the connection', async () => {
      const path = `secret/data/${uniq('reset')}`;
      const fault = mem.faults.inject({ path: `/v1/${path}`, reset: true });
      try {
        await expect(fetch(url(path), { headers: headers() })).rejects.toThrow();
      } finally {
        fault.remove();
      }
      expect((await call(t, 'GET', path)).status).toBe(404);
    });

    it('answers 200 with invalid JSON', async () => {
      const path = `secret/data/${uniq('badjson')}`;
      const fault = mem.faults.inject({ path: `/v1/${path}`, malformed: 'invalid-json' });
      try {
        const res = await fetch(url(path), { headers: headers() });
        expect(res.status).toBe(200);
        const text = await res.text();
        expect(() => JSON.parse(text)).toThrow();
      } finally {
        fault.remove();
      }
    });

    it('answers a body cut short of its Content-Length', async () => {
      const path = `secret/data/${uniq('trunc')}`;
      const fault = mem.faults.inject({ path: `/v1/${path}`, malformed: 'truncated' });
      try {
        // undici either rejects the short body or hands back fewer bytes than declared.
        // (Errors from Node's own fetch come from another realm: check the shape, not instanceof.)
        let declared = 0;
        let got: number | undefined;
        let failure = '';
        try {
          const res = await fetch(url(path), { headers: headers() });
          declared = Number(res.headers.get('content-length'));
          got = Buffer.byteLength(await res.text());
        } catch (err) {
          failure = String((err as { message?: unknown }).message);
        }
        if (got === undefined) expect(failure).toMatch(/terminated|closed|length/i);
        else expect(got).toBeLessThan(declared);
      } finally {
        fault.remove();
      }
    });

    it('answers 429 with Retry-After and Vault’s rate-limit body', async () => {
      const path = `secret/data/${uniq('limited')}`;
      const fault = mem.faults.inject({ path: `/v1/${path}`, status: 429, retryAfterS: 3 });
      try {
        const res = await call(t, 'GET', path);
        expect(res.status).toBe(429);
        expect(res.headers.get('retry-after')).toBe('3');
        expect(res.body).toEqual({ errors: [`request path "${path}": rate limit quota exceeded`] });
      } finally {
        fault.remove();
      }
    });

    it('fires a fault `times` times, then disappears; globs match many paths', async () => {
      const dir = uniq('times');
      mem.faults.inject({
        path: `/v1/secret/data/${dir}/*`,
        status: 503,
        body: { errors: ['flaky'] },
        times: 2,
      });
      expect((await call(t, 'GET', `secret/data/${dir}/a`)).status).toBe(503);
      expect((await call(t, 'GET', `secret/data/${dir}/b`)).status).toBe(503);
      expect((await call(t, 'GET', `secret/data/${dir}/a`)).status).toBe(404);
    });

    it('manages faults over HTTP on /__test/faults (root token only)', async () => {
      const path = `secret/data/${uniq('http-fault')}`;
      const denied = await fetch(`${t.url}/__test/faults`, {
        method: 'POST',
        body: JSON.stringify({ path: `/v1/${path}`, status: 502 }),
      });
      expect(denied.status).toBe(403);
      const created = await fetch(`${t.url}/__test/faults`, {
        method: 'POST',
        headers: { ...headers(), 'Content-Type': 'application/json' },
        body: JSON.stringify({
          path: `/v1/${path}`,
          status: 502,
          body: { errors: ['bad gateway'] },
        }),
      });
      expect(created.status).toBe(200);
      const { id } = (await created.json()) as { id: string };
      expect((await call(t, 'GET', path)).status).toBe(502);
      const removed = await fetch(`${t.url}/__test/faults/${id}`, {
        method: 'DELETE',
        headers: headers(),
      });
      expect(removed.status).toBeLessThan(300);
      expect((await call(t, 'GET', path)).status).toBe(404);
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
      await call(t, 'POST', 'auth/kubernetes/config', {
        body: { kubernetes_host: 'https://kubernetes.default.svc' },
      });
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
    });

    it('keeps its data and port across stop/restart', async () => {
      const path = uniq('durable');
      await kv2Write(t, 'secret', path, { kept: 'yes' });
      await mem.restart();
      // A fresh connection: pooled keep-alive sockets died with the old listener, as with a real restart.
      const read = await freshGet(`${t.url}/v1/secret/data/${path}`, t.rootToken);
      expect(read.status).toBe(200);
      expect(JSON.parse(read.text).data.data).toEqual({ kept: 'yes' });
      expect(mem.url).toBe(t.url);
    });

    it('counts requests by method and route, in the API and on /__test/stats', async () => {
      mem.resetStats();
      const path = uniq('counted');
      await kv2Write(t, 'secret', path, { a: 1 });
      await call(t, 'GET', `secret/data/${path}`);
      await call(t, 'GET', `secret/data/${path}`);
      await call(t, 'LIST', 'secret/metadata/');
      const stats = mem.stats();
      expect(stats.byRoute[`GET /v1/secret/data/${path}`]).toBe(2);
      expect(stats.byRoute[`POST /v1/secret/data/${path}`]).toBe(1);
      expect(stats.byRoute['LIST /v1/secret/metadata/']).toBe(1);
      expect(stats.total).toBe(4);
      const http = await fetch(`${t.url}/__test/stats`, { headers: headers() });
      expect(http.status).toBe(200);
      const body = (await http.json()) as { byRoute: Record<string, number> };
      expect(body.byRoute[`GET /v1/secret/data/${path}`]).toBe(2);
    });

    it('issues dynamic database credentials with a renewable lease that expires with the clock', async () => {
      const mount = uniq('database');
      expect(
        (await call(t, 'POST', `sys/mounts/${mount}`, { body: { type: 'database' } })).status,
      ).toBe(204);
      const cfg = await call(t, 'POST', `${mount}/config/pg`, {
        body: {
          plugin_name: 'postgresql-database-plugin',
          connection_url: 'postgresql://{{username}}:{{password}}@127.0.0.1:5432/app',
          allowed_roles: ['app'],
          username: 'admin',
          password: 'admin-password',
        },
      });
      expect(cfg.status).toBeLessThan(300);
      const role = await call(t, 'POST', `${mount}/roles/app`, {
        body: {
          db_name: 'pg',
          creation_statements: ['CREATE ROLE "{{name}}" WITH LOGIN PASSWORD \'{{password}}\';'],
          default_ttl: '1h',
          max_ttl: '2h',
        },
      });
      expect(role.status).toBe(204);
      const creds = await call(t, 'GET', `${mount}/creds/app`);
      expect(creds.status).toBe(200);
      expect(creds.body).toMatchObject({
        lease_id: expect.stringMatching(new RegExp(`^${mount}/creds/app/.+`)),
        renewable: true,
        lease_duration: 3600,
        data: { username: expect.any(String), password: expect.any(String) },
      });
      const leaseId = creds.body.lease_id as string;
      const lookup = await call(t, 'PUT', 'sys/leases/lookup', { body: { lease_id: leaseId } });
      expect(lookup.body.data).toMatchObject({ id: leaseId, renewable: true });
      const renew = await call(t, 'PUT', 'sys/leases/renew', {
        body: { lease_id: leaseId, increment: 7200 },
      });
      expect(renew.status).toBe(200);
      expect(renew.body).toMatchObject({ lease_id: leaseId, renewable: true });
      expect(renew.body.lease_duration).toBeLessThanOrEqual(7200);
      mem.clock.advance(3 * 3600_000);
      const expired = await call(t, 'PUT', 'sys/leases/lookup', { body: { lease_id: leaseId } });
      expect(expired.status).toBe(400);
      expect(expired.body).toEqual({ errors: ['invalid lease'] });
      const second = await call(t, 'GET', `${mount}/creds/app`);
      expect(
        (await call(t, 'PUT', 'sys/leases/revoke', { body: { lease_id: second.body.lease_id } }))
          .status,
      ).toBe(204);
      const revoked = await call(t, 'PUT', 'sys/leases/lookup', {
        body: { lease_id: second.body.lease_id },
      });
      expect(revoked.status).toBe(400);
    });
  },
  ['memory'],
);
