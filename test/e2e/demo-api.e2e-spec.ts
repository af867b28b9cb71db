/** The demo app (apps/demo-api) against the in-memory Vault seeded with seed/demo.seed.json, over HTTP. */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { VaultTestServer } from 'nestjs-vault-config-testing';
import { AppModule } from '../../apps/demo-api/src/app.module.js';
import { demoVaultOptions } from '../../apps/demo-api/src/demo-vault.options.js';
import { CapturingLogger } from '../support/module-support.js';
import { expectNoCanary } from '../support/canary.js';

const SEED = join(process.cwd(), 'seed', 'demo.seed.json');
const seed = JSON.parse(readFileSync(SEED, 'utf8')) as {
  secrets: Record<string, Record<string, string>>;
};
/** Every secret value in the seed, and the AppRole secret_id: none may leave the app. */
const CANARIES = [
  ...Object.values(seed.secrets).flatMap(data => Object.values(data)),
  'demo-secret-id',
].filter(v => v.length >= 8);

interface Description {
  key: string;
  source: string;
  mount?: string;
  path?: string;
  kvVersion?: number;
  version?: number;
}

describe('demo-api', () => {
  let server: VaultTestServer;
  const logger = new CapturingLogger();
  const bodies: string[] = [];

  beforeAll(async () => {
    server = await VaultTestServer.start({ seed: SEED });
  });
  afterAll(async () => {
    expectNoCanary([...bodies, ...logger.lines], CANARIES);
    await server.stop();
  });

  async function boot(env: NodeJS.ProcessEnv, onShutdown?: () => void): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.register({ vault: demoVaultOptions(env, server.url), onShutdown })],
    })
      .setLogger(logger)
      .compile();
    const app = moduleRef.createNestApplication({ logger });
    await app.listen(0, '127.0.0.1');
    return app;
  }

  async function call(app: INestApplication, method: string, path: string, body?: unknown) {
    const res = await fetch(`${await app.getUrl()}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    bodies.push(text);
    return { status: res.status, body: JSON.parse(text) };
  }

  describe('development (AppRole, least privilege)', () => {
    let app: INestApplication;
    let shutdowns = 0;
    beforeAll(async () => {
      app = await boot({}, () => void shutdowns++);
    });
    afterAll(async () => {
      await app.close();
      expect(shutdowns).toBe(1);
    });

    it('GET /health: Terminus reports Vault up', async () => {
      const res = await call(app, 'GET', '/health');
      expect(res.status).toBe(200);
      expect(res.body.info.vault).toMatchObject({ status: 'up', sealed: false });
    });

    it('GET /config: keys and their sources, later sources winning, no values', async () => {
      const res = await call(app, 'GET', '/config');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ mode: 'vault', authMethod: 'approle' });
      const byKey = new Map((res.body.keys as Description[]).map(d => [d.key, d]));
      expect(byKey.get('DATABASE_URL')).toMatchObject({
        source: 'vault',
        mount: 'secret',
        path: 'apps/demo/development',
        kvVersion: 2,
      });
      expect(byKey.get('LOG_LEVEL')).toMatchObject({ source: 'vault', path: 'shared' });
      expect(byKey.get('SMTP_PASSWORD')).toMatchObject({
        source: 'vault',
        mount: 'legacy',
        kvVersion: 1,
      });
      expect(byKey.get('PORT')).toMatchObject({ source: 'default' });
    });

    it('POST /token: a token signed with JWT_SECRET, which is never returned', async () => {
      const res = await call(app, 'POST', '/token', { subject: 'alice' });
      expect(res.status).toBe(201);
      const [header, payload, signature] = String(res.body.token).split('.');
      const jwtSecret = seed.secrets['secret/apps/demo/development'].JWT_SECRET;
      const expected = createHmac('sha256', jwtSecret)
        .update(`${header}.${payload}`)
        .digest('base64url');
      expect(signature).toBe(expected);
      expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({
        sub: 'alice',
      });
    });

    it('POST /token rejects a bad subject with 400', async () => {
      const res = await call(app, 'POST', '/token', { subject: '<script>' });
      expect(res.status).toBe(400);
    });
  });

  it('production: {env} selects the production path', async () => {
    const app = await boot({ DEMO_ENV: 'production' });
    try {
      const res = await call(app, 'GET', '/config');
      const db = (res.body.keys as Description[]).find(d => d.key === 'DATABASE_URL');
      expect(db).toMatchObject({ path: 'apps/demo/production' });
    } finally {
      await app.close();
    }
  });

  it('a rotated JWT_SECRET takes effect without a restart (refresh every DEMO_REFRESH_MS)', async () => {
    const rotated = 'rotated-jwt-secret-canary-5b7e1d0c9a';
    CANARIES.push(rotated);
    const app = await boot({ DEMO_REFRESH_MS: '200' });
    try {
      const jwtVersion = async () => {
        const res = await call(app, 'GET', '/config');
        return (res.body.keys as Description[]).find(k => k.key === 'JWT_SECRET')?.version;
      };
      const before = await jwtVersion();
      const current = await fetch(`${server.url}/v1/secret/data/apps/demo/development`, {
        headers: { 'X-Vault-Token': server.rootToken },
      }).then(r => r.json() as Promise<{ data: { data: Record<string, string> } }>);
      const write = await fetch(`${server.url}/v1/secret/data/apps/demo/development`, {
        method: 'POST',
        headers: { 'X-Vault-Token': server.rootToken, 'Content-Type': 'application/json' },
        body: JSON.stringify({ data: { ...current.data.data, JWT_SECRET: rotated } }),
      });
      expect(write.status).toBe(200);
      let after = before;
      for (let i = 0; i < 30 && after === before; i++) {
        await new Promise(r => setTimeout(r, 100));
        after = await jwtVersion();
      }
      expect(after).toBe((before ?? 0) + 1);
      const issued = await call(app, 'POST', '/token', { subject: 'alice' });
      const [header, payload, signature] = (issued.body.token as string).split('.');
      const expected = createHmac('sha256', rotated)
        .update(`${header}.${payload}`)
        .digest('base64url');
      expect(signature).toBe(expected);
      expect(logger.lines.some(l => /JWT_SECRET updated/.test(l))).toBe(true);
    } finally {
      await app.close();
    }
  });
});
