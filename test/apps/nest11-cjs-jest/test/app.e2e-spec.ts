import { createHash } from 'node:crypto';
import { Test, TestingModule } from '@nestjs/testing';
import { INestApplication } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ConfigService } from '@nestjs/config';
import * as request from 'supertest';
import { App } from 'supertest/types';
import { SecretsService, VaultConfigError, VaultConfigModule } from 'nestjs-vault-config';
import { VaultHealthIndicator } from 'nestjs-vault-config/health';
import { VaultNotConnectedError } from 'nestjs-vault-config/transit';
import { VaultTestServer } from 'nestjs-vault-config-testing';
import { AppModule } from './../src/app.module';
import { HealthController } from './../src/health.controller';

// The runner (test/apps/run.sh) starts a Vault (OpenBao in CI), sets up a least-privilege AppRole,
// and passes its address, role id, secret id and the SHA-256 of the secret it wrote.
describe('AppModule against the Vault the runner started (e2e)', () => {
  let app: INestApplication<App>;

  beforeEach(async () => {
    const moduleFixture: TestingModule = await Test.createTestingModule({
      imports: [AppModule],
    }).compile();

    app = moduleFixture.createNestApplication();
    await app.init();
  });

  it('/proof (GET): the secret from Vault, the same in ConfigService and SecretsService', () => {
    return request(app.getHttpServer())
      .get('/proof')
      .expect(200)
      .expect({ sha256: process.env.EXPECTED_SECRET_SHA256, sameInSecretsService: true });
  });

  it('/health (GET): vault up', async () => {
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.body.info.vault.status).toBe('up');
  });

  it('/transit-proof (GET): a round trip with the least-privilege token', () => {
    return request(app.getHttpServer())
      .get('/transit-proof')
      .expect(200)
      .expect({ roundTrip: true });
  });

  it('app.get(ConfigService) and app.get(SecretsService) hold the Vault value', () => {
    const expected = process.env.EXPECTED_SECRET_SHA256;
    const sha = (value: unknown) => createHash('sha256').update(String(value)).digest('hex');
    expect(sha(app.get(ConfigService).get('PACK_SECRET'))).toBe(expected);
    expect(sha(app.get(SecretsService).get('PACK_SECRET'))).toBe(expected);
  });

  afterEach(async () => {
    await app.close();
  });
});

describe('nestjs-vault-config-testing in a CommonJS Jest test', () => {
  let server: VaultTestServer;

  beforeAll(async () => {
    server = await VaultTestServer.start({ rootToken: 'root' });
    const res = await fetch(`${server.url}/v1/secret/data/jest/app`, {
      method: 'POST',
      headers: { 'X-Vault-Token': 'root', 'Content-Type': 'application/json' },
      body: JSON.stringify({ data: { GREETING: 'hello from the test server' } }),
    });
    expect(res.status).toBe(200);
  });

  afterAll(async () => {
    await server.stop();
  });

  it('boots VaultConfigModule against the in-memory server', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        VaultConfigModule.forRoot({
          isGlobal: true,
          address: server.url,
          auth: { method: 'token', token: 'root' },
          sources: [{ mount: 'secret', path: 'jest/app' }],
          required: ['GREETING'],
        }),
      ],
    }).compile();
    try {
      expect(moduleRef.get(SecretsService).get('GREETING')).toBe('hello from the test server');
    } finally {
      await moduleRef.close();
    }
  });
});

// On Nest 11's own packages: @nestjs/config 4's `changes$` hears a refresh; Terminus 11 has no
// `degraded` status, so health says `up` with `degraded: true` and the reason.
describe('on @nestjs/config 4 and @nestjs/terminus 11', () => {
  let server: VaultTestServer;
  let app: INestApplication<App>;
  const write = (data: Record<string, string>) =>
    fetch(`${server.url}/v1/secret/data/nest11/app`, {
      method: 'POST',
      headers: { 'X-Vault-Token': 'root', 'Content-Type': 'application/json' },
      body: JSON.stringify({ data }),
    });

  beforeAll(async () => {
    server = await VaultTestServer.start({ rootToken: 'root' });
    expect((await write({ GREETING: 'v1' })).status).toBe(200);
    const moduleRef = await Test.createTestingModule({
      imports: [
        VaultConfigModule.forRoot({
          isGlobal: true,
          address: server.url,
          auth: { method: 'token', token: 'root' },
          sources: [{ mount: 'secret', path: 'nest11/app' }],
          refresh: { intervalMs: 60_000 },
          retry: { attempts: 1 },
          healthCacheMs: 0,
        }),
        TerminusModule,
      ],
      controllers: [HealthController],
      providers: [VaultHealthIndicator],
    }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await server?.stop();
  });

  it("a refresh swaps the values and emits @nestjs/config 4's changes$, one event per changed key", async () => {
    const config = app.get(ConfigService);
    const events: { path: string; oldValue: unknown; newValue: unknown }[] = [];
    const subscription = config.changes$.subscribe(event => events.push(event));
    try {
      expect((await write({ GREETING: 'v2' })).status).toBe(200);
      await app.get(SecretsService).refresh();
      expect(config.get('GREETING')).toBe('v2');
      expect(app.get(SecretsService).get('GREETING')).toBe('v2');
      expect(events).toEqual([{ path: 'GREETING', oldValue: 'v1', newValue: 'v2' }]);
      await app.get(SecretsService).refresh(); // nothing changed: no event
      expect(events).toHaveLength(1);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('/health: up with degraded: true while last-known-good values are served', async () => {
    const fault = server.faults.inject({ path: '/v1/secret/data/*', status: 503 });
    try {
      await expect(app.get(SecretsService).refresh()).rejects.toThrow();
      const res = await request(app.getHttpServer()).get('/health').expect(200);
      expect(res.body.status).toBe('ok');
      expect(res.body.info.vault).toMatchObject({
        status: 'up',
        degraded: true,
        reason: 'last-known-good',
      });
    } finally {
      fault.remove();
    }
    await app.get(SecretsService).refresh();
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.body.info.vault.status).toBe('up');
    expect(res.body.info.vault.degraded).toBeUndefined();
  });
});

describe('one copy of each class across the entry points', () => {
  it('loads the CommonJS build, and an error from /transit is a VaultConfigError of the main entry', () => {
    expect(require.resolve('nestjs-vault-config')).toMatch(/dist[\\/]cjs[\\/]index\.js$/);
    expect(new VaultNotConnectedError('closed', 'transit')).toBeInstanceOf(VaultConfigError);
    expect(typeof VaultHealthIndicator).toBe('function');
  });
});
