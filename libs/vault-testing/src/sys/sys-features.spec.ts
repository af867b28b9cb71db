import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VaultTestServer } from '../vault-test-server.js';

const ROOT = 'root-token-canary';

describe('namespaces, leases, quotas and audit', () => {
  let server: VaultTestServer;
  let dir: string;

  async function call(
    method: string,
    path: string,
    o: { token?: string; body?: unknown; ns?: string } = {},
  ) {
    const headers: Record<string, string> = { 'X-Vault-Token': o.token ?? ROOT };
    if (o.ns) headers['X-Vault-Namespace'] = o.ns;
    const res = await fetch(`${server.url}/v1/${path}`, {
      method,
      headers,
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text ? JSON.parse(text) : undefined,
    };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vault-testing-'));
    server = await VaultTestServer.start({ rootToken: ROOT, auditFile: join(dir, 'audit.log') });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('isolates namespaces reached by header or path prefix, with their own policies and tokens', async () => {
    expect((await call('POST', 'sys/namespaces/team-a')).body.data).toMatchObject({
      path: 'team-a/',
    });
    expect((await call('LIST', 'sys/namespaces')).body.data.keys).toEqual(['team-a/']);
    await call('POST', 'sys/mounts/kv', { ns: 'team-a', body: { type: 'kv-v2' } });
    await call('POST', 'kv/data/app', { ns: 'team-a', body: { data: { who: 'a' } } });
    expect((await call('GET', 'team-a/kv/data/app')).body.data.data).toEqual({ who: 'a' });
    expect((await call('GET', 'kv/data/app')).status).toBe(404);
    expect((await call('GET', 'secret/data/x', { ns: 'team-a' })).status).toBe(404);
    expect((await call('GET', 'kv/data/app', { ns: 'nope' })).body).toEqual({
      errors: ['namespace not found'],
    });

    await call('PUT', 'sys/policies/acl/reader', {
      ns: 'team-a',
      body: { policy: 'path "kv/data/*" { capabilities = ["read"] }' },
    });
    expect((await call('GET', 'sys/policies/acl/reader')).status).toBe(404);
    const token = (
      await call('POST', 'auth/token/create', { ns: 'team-a', body: { policies: ['reader'] } })
    ).body.auth.client_token;
    expect((await call('GET', 'kv/data/app', { ns: 'team-a', token })).status).toBe(200);
    expect((await call('GET', 'auth/token/lookup-self', { token })).status).toBe(403);
    expect((await call('DELETE', 'sys/namespaces/team-a')).status).toBe(204);
    expect((await call('GET', 'kv/data/app', { ns: 'team-a' })).status).toBe(404);
  });

  it('issues database credentials with leases that renew, expire on the clock and revoke', async () => {
    expect((await call('POST', 'sys/mounts/database', { body: { type: 'database' } })).status).toBe(
      204,
    );
    await call('POST', 'database/config/pg', {
      body: {
        plugin_name: 'postgresql-database-plugin',
        connection_url: 'postgresql://{{username}}:{{password}}@db/app',
        allowed_roles: ['app'],
        password: 'x',
      },
    });
    expect((await call('GET', 'database/config/pg')).body.data).not.toHaveProperty('password');
    await call('POST', 'database/roles/app', {
      body: {
        db_name: 'pg',
        creation_statements: ['CREATE ROLE "{{name}}";'],
        default_ttl: '1h',
        max_ttl: '90m',
      },
    });
    const creds = await call('GET', 'database/creds/app');
    expect(creds.body).toMatchObject({
      renewable: true,
      lease_duration: 3600,
      lease_id: expect.stringMatching(/^database\/creds\/app\/.+/),
    });
    expect(creds.body.data.username).not.toBe(creds.body.data.password);
    const leaseId = creds.body.lease_id;
    const renewed = await call('PUT', 'sys/leases/renew', {
      body: { lease_id: leaseId, increment: '2h' },
    });
    expect(renewed.body).toMatchObject({ lease_id: leaseId, lease_duration: 5400 });
    expect(
      (await call('PUT', 'sys/leases/lookup', { body: { lease_id: leaseId } })).body.data,
    ).toMatchObject({ id: leaseId, renewable: true });
    expect(
      (await call('LIST', 'sys/leases/lookup/database/creds/app')).body.data.keys,
    ).toHaveLength(1);
    server.clock.advance(91 * 60_000);
    expect((await call('PUT', 'sys/leases/lookup', { body: { lease_id: leaseId } })).body).toEqual({
      errors: ['invalid lease'],
    });
    const second = (await call('GET', 'database/creds/app')).body.lease_id;
    expect((await call('PUT', 'sys/revoke', { body: { lease_id: second } })).status).toBe(204);
    expect((await call('PUT', 'sys/leases/renew', { body: { lease_id: second } })).body).toEqual({
      errors: ['lease not found'],
    });
  });

  it('enforces rate-limit quotas on the clock', async () => {
    await call('POST', 'sys/quotas/config', { body: { enable_rate_limit_response_headers: true } });
    await call('POST', 'sys/quotas/rate-limit/one', {
      body: { rate: 1, interval: '10s', path: 'secret/' },
    });
    expect((await call('GET', 'secret/data/q')).status).toBe(404);
    const limited = await call('GET', 'secret/data/q');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      errors: ['request path "secret/data/q": rate limit quota exceeded'],
    });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    server.clock.advance(10_000);
    expect((await call('GET', 'secret/data/q')).status).toBe(404);
    await call('DELETE', 'sys/quotas/rate-limit/one');
  });

  it('writes HMAC’d audit lines for requests and responses, and audit-hash finds values', async () => {
    expect((await call('GET', 'sys/audit')).body.data).toHaveProperty('file/');
    await call('POST', 'secret/data/audited', { body: { data: { password: 'hunter2' } } });
    const text = readFileSync(join(dir, 'audit.log'), 'utf8');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(ROOT);
    const lines = text
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    const mine = lines.filter(l => l.request?.path === 'secret/data/audited');
    expect(mine.map(l => l.type)).toEqual(['request', 'response']);
    const hash = (await call('POST', 'sys/audit-hash/file', { body: { input: 'hunter2' } })).body
      .data.hash;
    expect(hash).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(mine[0].request.data)).toContain(hash);
    await call('GET', 'secret/data/audited', { token: 'not-a-token' });
    const denied = readFileSync(join(dir, 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(denied.at(-1)).toMatchObject({ type: 'response', error: 'permission denied' });
    expect((await call('DELETE', 'sys/audit/file')).status).toBe(204);
    expect((await call('GET', 'sys/audit')).body.data).toEqual({});
  });
});
