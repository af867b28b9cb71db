import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { VaultTestServer, type FaultOptions } from '../../../vault-testing/src/index.js';
import { VaultConfigError } from '../errors/vault-config.error.js';
import { VaultResponseError } from '../errors/vault-response.error.js';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import type { VaultHttpMethod, VaultResponse } from '../interfaces/vault-transport.interface.js';
import type { ResolvedRetryOptions } from '../options/resolved-vault-config-options.interface.js';
import { HttpVaultTransport } from './http-vault.transport.js';
import {
  isIdempotent,
  isRetryableFailure,
  isRetryableStatus,
  sendWithRetries,
  transportFailure,
} from './retrying-request.js';

const READER = 'canary-reader-token-retry-spec';
const TLS_FIXTURES = join(process.cwd(), 'test', 'fixtures', 'tls');
const FAST: ResolvedRetryOptions = { attempts: 3, minDelayMs: 1, maxDelayMs: 50 };

const outcome = (p: Promise<VaultResponse>): Promise<VaultResponse | Error> =>
  p.catch((e: unknown) => e as Error);

describe('sendWithRetries over real HTTP (test server with injected faults)', () => {
  let server: VaultTestServer;
  const transports: HttpVaultTransport[] = [];

  beforeAll(async () => {
    server = await VaultTestServer.start({
      seed: {
        secrets: { 'secret/app': { A: '1' } },
        policies: { reader: 'path "secret/data/app" { capabilities = ["read"] }' },
        tokens: [{ id: READER, policies: ['reader'], ttl: '1h' }],
      },
    });
  });
  afterEach(() => {
    server.faults.clear();
    server.resetStats();
    transports.splice(0).forEach(t => t.close());
  });
  afterAll(() => server.stop());

  const send = (
    method: VaultHttpMethod,
    path: string,
    opts: { retry?: Partial<ResolvedRetryOptions>; idempotent?: boolean; timeoutMs?: number } = {},
    address = server.url,
    token = server.rootToken,
  ) => {
    const transport = new HttpVaultTransport({ address, timeoutMs: opts.timeoutMs ?? 2000 });
    transports.push(transport);
    return outcome(
      sendWithRetries(
        transport,
        { method, path, token, ...(method === 'POST' ? { body: { data: { A: '2' } } } : {}) },
        {
          address,
          retry: { ...FAST, ...opts.retry },
          idempotent: isIdempotent(method, opts.idempotent),
        },
      ),
    );
  };
  const fault = (path: string, options: Omit<FaultOptions, 'path'>) =>
    server.faults.inject({ path: `/v1/${path}`, ...options });
  const sent = () => server.stats().total;

  it('never retries 400, 403 or 404: the answer comes back after one attempt', async () => {
    fault('secret/data/bad', { status: 400, body: { errors: ['bad'] } });
    expect(await send('GET', 'secret/data/bad')).toMatchObject({ status: 400 });
    expect(sent()).toBe(1);
    expect(await send('GET', 'secret/data/other', {}, server.url, READER)).toMatchObject({
      status: 403,
    });
    expect(sent()).toBe(2);
    expect(await send('GET', 'secret/data/nope')).toMatchObject({ status: 404 });
    expect(sent()).toBe(3);
  });

  it('retries 500 for an idempotent request and counts the attempts in the error', async () => {
    fault('secret/data/app', { status: 500, body: { errors: ['internal error'] } });
    const e = (await send('GET', 'secret/data/app')) as VaultUnavailableError;
    expect(e).toBeInstanceOf(VaultUnavailableError);
    expect(e).toMatchObject({ errorCode: 'HTTP_500', status: 500, attempts: 3 });
    expect(e.vaultErrors).toEqual(['internal error']);
    expect(e.message).toContain(`Vault at ${server.url} is unavailable`);
    expect(sent()).toBe(3);
  });

  it('succeeds on the first good answer after failed attempts', async () => {
    fault('secret/data/app', { status: 503, times: 2 });
    expect(await send('GET', 'secret/data/app')).toMatchObject({ status: 200 });
    expect(sent()).toBe(3);
  });

  it('does not retry a POST after 500 (it may have been applied), unless marked idempotent', async () => {
    fault('secret/data/app', { status: 500 });
    expect(await send('POST', 'secret/data/app')).toMatchObject({ status: 500 });
    expect(sent()).toBe(1);
    expect(await send('POST', 'secret/data/app', { idempotent: true })).toBeInstanceOf(
      VaultUnavailableError,
    );
    expect(sent()).toBe(4);
  });

  it('retries a POST after a sealed 503 (Vault acted on nothing)', async () => {
    fault('secret/data/app', { status: 503 });
    const e = await send('POST', 'secret/data/app');
    expect(e).toMatchObject({ errorCode: 'HTTP_503', attempts: 3 });
    expect(sent()).toBe(3);
  });

  it('retries a reset connection and a timeout for GET, neither for POST', async () => {
    fault('secret/data/app', { reset: true });
    expect(await send('GET', 'secret/data/app')).toMatchObject({
      errorCode: 'ECONNRESET',
      attempts: 3,
    });
    expect(sent()).toBe(3);
    expect(await send('POST', 'secret/data/app')).toMatchObject({
      errorCode: 'ECONNRESET',
      attempts: 1,
    });
    expect(sent()).toBe(4);
    server.faults.clear();
    fault('secret/data/app', { latencyMs: 300 });
    expect(
      await send('GET', 'secret/data/app', { retry: { attempts: 2 }, timeoutMs: 80 }),
    ).toMatchObject({ errorCode: 'ETIMEDOUT', attempts: 2 });
    expect(await send('POST', 'secret/data/app', { timeoutMs: 80 })).toMatchObject({
      errorCode: 'ETIMEDOUT',
      attempts: 1,
    });
  });

  it('retries a body cut short for GET only; an invalid JSON body is never retried', async () => {
    fault('secret/data/app', { malformed: 'truncated' });
    const cut = await send('GET', 'secret/data/app');
    expect(cut).toBeInstanceOf(VaultResponseError);
    expect((cut as VaultResponseError).reason).toBe('the response body was cut short');
    expect(sent()).toBe(3);
    await send('POST', 'secret/data/app');
    expect(sent()).toBe(4);
    server.faults.clear();
    fault('secret/data/app', { malformed: 'invalid-json' });
    expect(await send('GET', 'secret/data/app')).toBeInstanceOf(VaultResponseError);
    expect(sent()).toBe(5);
  });

  it('with attempts: 1 never retries', async () => {
    fault('secret/data/app', { status: 503 });
    expect(await send('GET', 'secret/data/app', { retry: { attempts: 1 } })).toMatchObject({
      attempts: 1,
    });
    expect(sent()).toBe(1);
  });

  it('honours Retry-After on 429, also for a POST', async () => {
    fault('secret/data/app', { status: 429, headers: { 'Retry-After': '0.3' }, times: 1 });
    const started = Date.now();
    expect(await send('POST', 'secret/data/app', { retry: { maxDelayMs: 2000 } })).toMatchObject({
      status: 200,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(sent()).toBe(2);
  });

  it('caps Retry-After at maxDelayMs and gives up with HTTP_429', async () => {
    fault('secret/data/app', { retryAfterS: 30 });
    const started = Date.now();
    const e = await send('GET', 'secret/data/app', { retry: { attempts: 2, maxDelayMs: 200 } });
    const waited = Date.now() - started;
    expect(e).toMatchObject({ errorCode: 'HTTP_429', status: 429, attempts: 2 });
    expect(waited).toBeGreaterThanOrEqual(190);
    expect(waited).toBeLessThan(1500);
  }, 5000); // uncapped, the 30 s hint would outlast this

  it('reads Retry-After only on 429: a 503 with it backs off as usual', async () => {
    fault('secret/data/app', { status: 503, headers: { 'Retry-After': '5' }, times: 1 });
    const started = Date.now();
    await send('GET', 'secret/data/app', { retry: { maxDelayMs: 5000 } });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('retries ECONNREFUSED even for a POST (it surely did not reach Vault)', async () => {
    const closed = createNetServer();
    await new Promise<void>(r => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise(r => closed.close(r));
    const e = await send('POST', 'secret/data/app', {}, `http://127.0.0.1:${port}`);
    expect(e).toMatchObject({ errorCode: 'ECONNREFUSED', attempts: 3 });
  });
});

describe('sendWithRetries against a certificate the client does not trust', () => {
  let tls: HttpsServer;
  let connections = 0;

  beforeAll(async () => {
    tls = createHttpsServer(
      {
        key: readFileSync(join(TLS_FIXTURES, 'server-key.pem')),
        cert: readFileSync(join(TLS_FIXTURES, 'server.pem')),
      },
      (_req, res) => res.end('{}'),
    );
    tls.on('connection', () => connections++);
    tls.on('tlsClientError', () => undefined);
    await new Promise<void>(r => tls.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    tls.closeAllConnections();
    await new Promise(r => tls.close(r));
  });

  it('never retries a TLS error, even for GET', async () => {
    const address = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
    const transport = new HttpVaultTransport({ address, timeoutMs: 2000 });
    try {
      const e = await outcome(
        sendWithRetries(
          transport,
          { method: 'GET', path: 'sys/health' },
          { address, retry: FAST, idempotent: true },
        ),
      );
      expect(e).toBeInstanceOf(VaultUnavailableError);
      expect((e as VaultUnavailableError).errorCode).toMatch(/CERT|UNABLE_TO|SELF_SIGNED/);
      expect((e as VaultUnavailableError).attempts).toBe(1);
      expect(connections).toBe(1);
    } finally {
      transport.close();
    }
  });
});

describe('the retry decisions', () => {
  const unavailable = (errorCode: string) =>
    new VaultUnavailableError({ address: 'http://v', errorCode });

  it('POST and PATCH are not idempotent unless the caller says so', () => {
    const methods = ['GET', 'LIST', 'PUT', 'DELETE', 'POST', 'PATCH'] as const;
    expect(methods.filter(m => isIdempotent(m))).toEqual(['GET', 'LIST', 'PUT', 'DELETE']);
    expect([isIdempotent('POST', true), isIdempotent('GET', false)]).toEqual([true, false]);
  });

  it('statuses: 429 always, 5xx when idempotent, else only a sealed 503; never 4xx', () => {
    const statuses = [200, 204, 400, 403, 404, 412, 429, 500, 501, 502, 503, 504, 599];
    expect(statuses.filter(s => isRetryableStatus(s, true))).toEqual([
      429, 500, 501, 502, 503, 504, 599,
    ]);
    expect(statuses.filter(s => isRetryableStatus(s, false))).toEqual([429]);
    expect(statuses.filter(s => isRetryableStatus(s, false, true))).toEqual([429, 503]);
  });

  it('failures: TLS codes never; not-sent codes also for non-idempotent requests', () => {
    for (const code of [
      'CERT_HAS_EXPIRED',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'ERR_SSL_WRONG_VERSION_NUMBER',
    ])
      expect(isRetryableFailure(unavailable(code), null, true)).toBe(false);
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'])
      expect(isRetryableFailure(unavailable(code), null, false)).toBe(true);
    expect(isRetryableFailure(unavailable('ECONNRESET'), null, true)).toBe(true);
    expect(isRetryableFailure(unavailable('ECONNRESET'), null, false)).toBe(false);
    expect(isRetryableFailure(new VaultConfigError('no'), new Error('x'), true)).toBe(false);
  });

  it('a foreign transport error keeps only its code; library errors name address, path, attempts', () => {
    const foreign = Object.assign(new Error('token canary-foreign-token'), { code: 'ECONNRESET' });
    const safe = transportFailure(foreign, 'http://v', 'secret/data/a', 2);
    expect(safe).toMatchObject({ errorCode: 'ECONNRESET', path: 'secret/data/a', attempts: 2 });
    expect(inspect(safe) + JSON.stringify(safe)).not.toContain('canary-foreign-token');
    expect(transportFailure({ code: 'lower case' }, 'http://v', 'p', 1)).toMatchObject({
      errorCode: 'NETWORK_ERROR',
    });
    const cut = new VaultResponseError({ path: 'p', reason: 'cut' });
    expect(transportFailure(cut, 'http://v', 'p', 1)).toBe(cut);
    const again = transportFailure(
      new VaultUnavailableError({ address: 'http://t', errorCode: 'HTTP_503', status: 503 }),
      'http://v',
      'p',
      3,
    );
    expect(again).toMatchObject({ address: 'http://v', status: 503, path: 'p', attempts: 3 });
  });
});
