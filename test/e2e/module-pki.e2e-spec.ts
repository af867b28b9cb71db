/**
 * A PKI certificate as a source of VaultConfigModule, serving HTTPS the way the README shows: the
 * certificate (30 s TTL) is issued at boot, re-issued within its lifetime with a 'certificate'
 * event, taken into use by `server.setSecureContext` without a restart, and revoked on shutdown.
 * Runs on the in-memory server and on OpenBao.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createServer, get, type Server } from 'node:https';
import { connect } from 'node:tls';
import { inspect } from 'node:util';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { SecretsService, VaultConfigModule, type SecretsChangedEvent } from 'nestjs-vault-config';
import { VaultHealthIndicator } from 'nestjs-vault-config/health';
import { expectNoCanary } from '../support/canary.js';
import { describeTargets } from '../support/contract-helpers.js';
import { eventually, rootCall, tokenWithPolicy } from '../support/lifecycle-support.js';
import { CapturingLogger, renderError } from '../support/module-support.js';
import { configurePki, type PkiEngineSetup } from '../support/pki-engine.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

const NAME = 'app.example.com';

@Controller()
class HelloController {
  @Get('hello')
  hello(): { hello: string } {
    return { hello: 'world' };
  }
}

/** The peer certificate an HTTPS client sees now, verified against the CA. */
function servedCertificate(port: number, ca: string): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername: NAME }, () => {
      const peer = socket.getPeerX509Certificate();
      socket.end();
      if (peer) resolve(peer);
      else reject(new Error('no peer certificate'));
    });
    socket.once('error', reject);
  });
}

/** GET /hello over HTTPS, trusting only the CA. */
function hello(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/hello', ca, servername: NAME }, res => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(body));
    }).once('error', reject);
  });
}

describeTargets('PKI certificate source serving HTTPS', kind => {
  let target: VaultTarget;
  let pki: PkiEngineSetup;
  let token: string;
  const logger = new CapturingLogger();
  const outputs: string[] = [];
  const keys: string[] = [];

  beforeAll(async () => {
    target = await startTarget(kind);
    pki = await configurePki(target, {
      mount: 'pki',
      role: 'web',
      roleBody: { allowed_domains: ['example.com'], allow_subdomains: true, max_ttl: '1h' },
    });
    token = await tokenWithPolicy(
      target,
      'pki-app',
      'path "pki/issue/web" { capabilities = ["update"] }\n' +
        'path "pki/revoke" { capabilities = ["update"] }\n',
    );
  }, 30_000);
  afterAll(async () => {
    await target?.stop();
    // Every line of every private key served, in logs, errors, events, health and inspect output.
    const lines = keys.flatMap(k => k.split('\n').filter(l => l.length > 40));
    expectNoCanary([...outputs, ...logger.lines], lines);
  });

  async function boot(sourceOver: Record<string, unknown> = {}): Promise<INestApplication> {
    @Module({
      imports: [
        VaultConfigModule.forRoot({
          isGlobal: true,
          address: target.url,
          auth: { method: 'token', token },
          sources: [
            {
              type: 'pki',
              mount: 'pki',
              role: 'web',
              commonName: NAME,
              altNames: ['api.example.com'],
              ipSans: ['127.0.0.1'],
              ttl: '30s',
              prefix: 'TLS_',
              ...sourceOver,
            } as never,
          ],
          envFallback: false,
          revokeOnShutdown: true,
        }),
        TerminusModule,
      ],
      controllers: [HelloController],
      providers: [VaultHealthIndicator],
    })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .setLogger(logger)
      .compile();
    const app = moduleRef.createNestApplication({ logger });
    await app.init();
    return app;
  }

  it('serves HTTPS with the issued certificate and takes a re-issued one into use without a restart', async () => {
    const app = await boot();
    const secrets = app.get(SecretsService);
    const tls = () => ({
      cert: `${secrets.getOrThrow('TLS_CERTIFICATE')}\n${secrets.getOrThrow('TLS_CA_CHAIN')}`,
      key: secrets.getOrThrow('TLS_PRIVATE_KEY'),
    });
    keys.push(tls().key);
    const server: Server = createServer(tls(), app.getHttpAdapter().getInstance());
    const events: SecretsChangedEvent[] = [];
    secrets.onSecretsChanged(event => {
      events.push(event);
      if (event.reason === 'certificate') server.setSecureContext(tls());
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const issued = new X509Certificate(secrets.getOrThrow('TLS_CERTIFICATE'));
      expect(issued.subject).toBe(`CN=${NAME}`);
      expect(issued.subjectAltName).toBe(`DNS:${NAME}, DNS:api.example.com, IP Address:127.0.0.1`);
      const notAfter = Date.parse(issued.validTo);
      expect(Math.abs(notAfter - Date.now() - 30_000)).toBeLessThan(3000);
      expect(issued.checkPrivateKey(createPrivateKey(tls().key))).toBe(true);
      expect(issued.checkIssued(pki.ca)).toBe(true);
      expect(app.get(ConfigService).get('TLS_CERTIFICATE')).toBe(secrets.get('TLS_CERTIFICATE'));
      const served = await servedCertificate(port, pki.caPem);
      expect(served.serialNumber).toBe(issued.serialNumber);
      expect(await hello(port, pki.caPem)).toBe('{"hello":"world"}');

      // 30 s: re-issued at ~2/3 (18–20 s), inside the first certificate's lifetime.
      expect(await eventually(() => events.length > 0, 25_000)).toBe(true);
      expect(Date.now()).toBeLessThan(notAfter);
      expect(events.map(e => e.reason)).toEqual(['certificate']);
      expect(events[0].changes.map(c => `${c.key} ${c.change}`).sort()).toEqual([
        'TLS_CERTIFICATE updated',
        'TLS_PRIVATE_KEY updated',
      ]);
      keys.push(tls().key);
      const renewed = new X509Certificate(secrets.getOrThrow('TLS_CERTIFICATE'));
      expect(renewed.serialNumber).not.toBe(issued.serialNumber);
      expect(renewed.checkPrivateKey(createPrivateKey(tls().key))).toBe(true);
      expect((await servedCertificate(port, pki.caPem)).serialNumber).toBe(renewed.serialNumber);
      expect(await hello(port, pki.caPem)).toBe('{"hello":"world"}');

      const health = await app.get(VaultHealthIndicator).isHealthy('vault');
      outputs.push(JSON.stringify(health), JSON.stringify(events), inspect(secrets));
      outputs.push(inspect(app.get(ConfigService)));

      await app.close();
      const revoked = await rootCall(target, 'GET', `pki/cert/${serialOf(renewed)}`);
      expect(revoked?.data?.revocation_time).toEqual(expect.any(Number));
      expect(revoked?.data?.revocation_time).toBeGreaterThan(0);
      const replaced = await rootCall(target, 'GET', `pki/cert/${serialOf(issued)}`);
      expect(replaced?.data?.revocation_time).toBe(0);
    } finally {
      await new Promise(r => server.close(r));
    }
  }, 60_000);

  it('a name the role does not allow fails the boot with a typed error naming the path', async () => {
    const error = await boot({ commonName: 'app.other.com' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'VaultResponseError',
      path: 'pki/issue/web',
      vaultErrors: ['common name app.other.com not allowed by this role'],
    });
    outputs.push(...renderError(error));
  });
});

/** X509Certificate's `7D5C…` as Vault writes it: `7d:5c:…`. */
const serialOf = (cert: X509Certificate): string =>
  cert.serialNumber.match(/../g)!.join(':').toLowerCase();
