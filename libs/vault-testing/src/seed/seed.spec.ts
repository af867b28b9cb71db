import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeedDocument } from '../interfaces/seed-document.interface.js';
import { VaultTestServer } from '../vault-test-server.js';
import {
  startReviewAnswerer,
  type ReviewAnswerer,
} from '../auth/kubernetes/review-answerer.spec-helpers.js';
import { loadSeedFile } from './load-seed-file.js';

async function call(
  server: VaultTestServer,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  ns?: string,
) {
  const headers: Record<string, string> = {};
  if (token) headers['X-Vault-Token'] = token;
  if (ns) headers['X-Vault-Namespace'] = ns;
  const res = await fetch(`${server.url}/v1/${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const YAML_SEED = `
mounts:
  secret: { type: kv, version: 2 }
  legacy: { type: kv, version: 1 }
secrets:
  secret/apps/web:
    - { API_KEY: first }
    - { API_KEY: second }
  legacy/shared: { LOG_LEVEL: debug }
policies:
  web-read: |
    path "secret/data/apps/*" {
      capabilities = ["read"]
    }
auth:
  approle:
    roles:
      web: { token_policies: [web-read], token_ttl: 1h, role_id: web-role, secret_id: web-secret }
  kubernetes:
    config: { kubernetes_host: KUBERNETES_HOST }
    roles:
      web: { bound_service_account_names: [web], bound_service_account_namespaces: [apps], token_policies: [web-read] }
tokens:
  - { id: web-token, policies: [web-read], ttl: 24h }
namespaces:
  team-a:
    mounts: { kv: { type: kv, version: 2 } }
    secrets: { kv/app: { who: team-a } }
    policies: { team-read: 'path "kv/data/*" { capabilities = ["read"] }' }
    tokens: [ { id: team-token, policies: [team-read] } ]
`;

describe('seed documents', () => {
  let dir: string;
  let server: VaultTestServer;
  let api: ReviewAnswerer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vault-seed-'));
    api = await startReviewAnswerer();
    writeFileSync(join(dir, 'seed.yaml'), YAML_SEED.replace('KUBERNETES_HOST', api.url));
    server = await VaultTestServer.start({ rootToken: 'root', seed: join(dir, 'seed.yaml') });
  });
  afterAll(async () => {
    await server.stop();
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads YAML: mounts, versioned secrets, policies, tokens', async () => {
    const read = await call(server, 'GET', 'secret/data/apps/web', 'web-token');
    expect(read.body.data).toMatchObject({ data: { API_KEY: 'second' }, metadata: { version: 2 } });
    expect((await call(server, 'GET', 'legacy/shared', 'root')).body.data).toEqual({
      LOG_LEVEL: 'debug',
    });
    expect((await call(server, 'GET', 'legacy/shared', 'web-token')).status).toBe(403);
    const ttl = (await call(server, 'GET', 'auth/token/lookup-self', 'web-token')).body.data.ttl;
    expect(ttl).toBeGreaterThan(86_390);
    expect(ttl).toBeLessThanOrEqual(86_400);
  });

  it('loads AppRole roles with fixed credentials and Kubernetes roles', async () => {
    const login = await call(server, 'POST', 'auth/approle/login', null, {
      role_id: 'web-role',
      secret_id: 'web-secret',
    });
    expect(login.body.auth).toMatchObject({
      policies: ['default', 'web-read'],
      lease_duration: 3600,
    });
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jwt = `${b64({ alg: 'RS256' })}.${b64({ sub: 'system:serviceaccount:apps:web' })}.x`;
    const k8s = await call(server, 'POST', 'auth/kubernetes/login', null, { role: 'web', jwt });
    expect(k8s.status).toBe(200);
    expect(api.reviewed).toEqual([jwt]);
  });

  it('loads namespaces with their own mounts, secrets, policies and tokens', async () => {
    expect(
      (await call(server, 'GET', 'kv/data/app', 'team-token', undefined, 'team-a')).body.data.data,
    ).toEqual({ who: 'team-a' });
    expect((await call(server, 'GET', 'kv/data/app', 'root')).status).toBe(404);
  });

  it('loads JSON files and objects alike, and the repo’s demo seed', async () => {
    const doc: SeedDocument = { secrets: { 'secret/x': { a: '1' } }, policies: {} };
    writeFileSync(join(dir, 'seed.json'), JSON.stringify(doc));
    expect(await loadSeedFile(join(dir, 'seed.json'))).toEqual(doc);
    const demo = await VaultTestServer.start({
      rootToken: 'root',
      seed: join(process.cwd(), 'seed', 'demo.seed.json'),
    });
    try {
      const login = await call(demo, 'POST', 'auth/approle/login', null, {
        role_id: 'demo-role-id',
        secret_id: 'demo-secret-id',
      });
      const token = login.body.auth.client_token;
      expect((await call(demo, 'GET', 'secret/data/apps/demo/development', token)).status).toBe(
        200,
      );
      expect((await call(demo, 'GET', 'legacy/demo', 'demo-token')).status).toBe(200);
    } finally {
      await demo.stop();
    }
  });

  it('rejects broken seed files with a message naming the file and never leaking values', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"secrets": {"secret/x": {"pw": "s3cret"');
    await expect(loadSeedFile(join(dir, 'bad.json'))).rejects.toThrow(
      /bad\.json is not valid JSON/,
    );
    await expect(
      VaultTestServer.start({ seed: { secrets: { 'nomount/x': { pw: 's3cret' } } } }),
    ).rejects.toThrow('seed secret nomount/x: no mount for it');
    await expect(
      VaultTestServer.start({ seed: { policies: { bad: 'path "x" {' } } }),
    ).rejects.toThrow(/failed to parse policy/);
  });
});
