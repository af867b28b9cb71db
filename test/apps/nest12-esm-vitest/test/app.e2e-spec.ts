import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { Test, TestingModule } from '@nestjs/testing';
import { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import request from 'supertest';
import { App } from 'supertest/types.js';
import { SecretsService, VaultConfigError, VaultConfigModule } from 'nestjs-vault-config';
import { VaultHealthIndicator } from 'nestjs-vault-config/health';
import { VaultNotConnectedError } from 'nestjs-vault-config/transit';
import { VaultTestServer } from 'nestjs-vault-config-testing';
import { AppModule } from './../src/app.module.js';

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

describe('one copy of each class across the entry points', () => {
  it('an error from /transit is a VaultConfigError of the main entry', () => {
    expect(new VaultNotConnectedError('closed', 'transit')).toBeInstanceOf(VaultConfigError);
    expect(typeof VaultHealthIndicator).toBe('function');
  });

  it('imports get the ES module build; a require() in the same process gets the CommonJS one', () => {
    const require = createRequire(import.meta.url);
    expect(require.resolve('nestjs-vault-config')).toMatch(/dist[\\/]cjs[\\/]index\.js$/);
    // The documented dual-package rule: mixing import and require gives two copies of each class.
    expect(require('nestjs-vault-config').VaultConfigError).not.toBe(VaultConfigError);
  });
});
