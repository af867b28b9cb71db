/** Tokens, policies and capabilities; sys/health in every mode; seal and unseal. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { VaultTestServer } from './vault-test-server.js';
import { call, startCoreServer } from './vault-test-server.spec-helpers.js';

describe('VaultTestServer core', () => {
  let server: VaultTestServer;

  beforeAll(async () => {
    server = await startCoreServer({ seed: { secrets: { 'secret/core/app': { a: '2' } } } });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('accepts Authorization: Bearer and answers sys/capabilities-self', async () => {
    await call(server, 'PUT', 'sys/policies/acl/reader', {
      body: { policy: 'path "secret/data/core/*" { capabilities = ["read", "list"] }' },
    });
    const token = (
      await call(server, 'POST', 'auth/token/create', { body: { policies: ['reader'] } })
    ).body.auth.client_token;
    const res = await call(server, 'GET', 'secret/data/core/app', {
      token: null,
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const denied = await call(server, 'POST', 'secret/data/core/app', {
      token,
      body: { data: { a: 1 } },
    });
    expect(denied.body).toEqual({ errors: ['1 error occurred:\n\t* permission denied\n\n'] });
    const caps = await call(server, 'POST', 'sys/capabilities-self', {
      token,
      body: { paths: ['secret/data/core/app', 'secret/data/other'] },
    });
    expect(caps.body.data).toEqual({
      'secret/data/core/app': ['list', 'read'],
      'secret/data/other': ['deny'],
    });
    expect((await call(server, 'GET', 'sys/policies/acl/reader')).body.data.name).toBe('reader');
    expect((await call(server, 'LIST', 'sys/policies/acl')).body.data.keys).toEqual([
      'default',
      'reader',
      'root',
    ]);
    const broken = await call(server, 'PUT', 'sys/policies/acl/broken', {
      body: { policy: 'path "x" {' },
    });
    expect(broken.status).toBe(400);
  });

  it('answers sys/health for every state and query override, and seals/unseals', async () => {
    expect((await call(server, 'GET', 'sys/health', { token: null })).body).toMatchObject({
      initialized: true,
      sealed: false,
      standby: false,
    });
    expect((await call(server, 'GET', 'sys/health?activecode=299')).status).toBe(299);
    expect((await fetch(`${server.url}/v1/sys/health`, { method: 'HEAD' })).status).toBe(200);
    server.setHealthMode('standby');
    expect((await call(server, 'GET', 'sys/health')).status).toBe(429);
    expect((await call(server, 'GET', 'sys/health?standbyok=true')).status).toBe(200);
    server.setHealthMode('performance-standby');
    expect((await call(server, 'GET', 'sys/health')).status).toBe(473);
    expect((await call(server, 'GET', 'sys/health?perfstandbyok=true')).status).toBe(200);
    server.setHealthMode('dr-secondary');
    expect((await call(server, 'GET', 'sys/health')).status).toBe(472);
    server.setHealthMode('uninitialized');
    expect((await call(server, 'GET', 'sys/health?uninitcode=200')).status).toBe(200);
    expect((await call(server, 'GET', 'sys/health')).status).toBe(501);
    server.setHealthMode('active');

    expect((await call(server, 'PUT', 'sys/seal')).status).toBe(204);
    expect((await call(server, 'GET', 'secret/data/core/app')).body).toEqual({
      errors: ['Vault is sealed'],
    });
    expect((await call(server, 'GET', 'sys/health')).status).toBe(503);
    expect((await call(server, 'GET', 'sys/health?sealedcode=200')).status).toBe(200);
    expect((await call(server, 'GET', 'sys/seal-status')).body).toMatchObject({
      sealed: true,
      t: 1,
      n: 1,
    });
    expect((await call(server, 'PUT', 'sys/unseal', { body: { key: 'wrong' } })).status).toBe(400);
    const unsealed = await call(server, 'PUT', 'sys/unseal', { body: { key: server.unsealKey } });
    expect(unsealed.body).toMatchObject({ sealed: false });
    server.seal();
    expect((await call(server, 'GET', 'sys/mounts')).status).toBe(503);
    server.unseal();
    expect((await call(server, 'GET', 'sys/mounts')).status).toBe(200);
  });
});
