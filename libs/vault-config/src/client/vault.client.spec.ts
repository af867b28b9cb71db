import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { VaultPermissionError } from '../errors/vault-permission.error.js';
import { VaultResponseError } from '../errors/vault-response.error.js';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import { HttpVaultTransport } from './http-vault.transport.js';
import { VaultClient } from './vault.client.js';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;
const TOKEN = 'canary-token-client-spec';
const json = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

describe('VaultClient over HttpVaultTransport (real HTTP, scripted server)', () => {
  let server: Server;
  let url: string;
  let handler: Handler;
  let count = 0;
  const seen: IncomingMessage[] = [];
  const clients: VaultClient[] = [];
  const client = (opts: { timeoutMs?: number; attempts?: number; maxBodyBytes?: number } = {}) => {
    const c = new VaultClient({
      transport: new HttpVaultTransport({
        address: url,
        timeoutMs: opts.timeoutMs ?? 1000,
        ...(opts.maxBodyBytes ? { maxBodyBytes: opts.maxBodyBytes } : {}),
      }),
      token: TOKEN,
      namespace: 'team-a',
      retry: { attempts: opts.attempts ?? 3, minDelayMs: 1, maxDelayMs: 300 },
    });
    clients.push(c);
    return c;
  };
  const failure = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(inspect(e, { depth: 10 })).not.toContain(TOKEN);
    expect(JSON.stringify(e)).not.toContain(TOKEN);
    return e;
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      count++;
      seen.push(req);
      handler(req, res, count);
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    count = 0;
    seen.length = 0;
    await Promise.all(clients.splice(0).map(c => c.close()));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(r => server.close(r));
  });

  it('sends Vault headers, maps LIST to GET ?list=true and encodes path segments', async () => {
    handler = (_req, res) => json(res, 200, { data: { keys: ['a', 'b/'] } });
    expect(await client().list('secret/metadata/my app')).toEqual(['a', 'b/']);
    const req = seen[0];
    expect(req.method).toBe('GET');
    expect(req.url).toBe('/v1/secret/metadata/my%20app?list=true');
    expect(req.headers['x-vault-token']).toBe(TOKEN);
    expect(req.headers['x-vault-namespace']).toBe('team-a');
    expect(req.headers['x-vault-request']).toBe('true');
  });

  it('retries 500 then succeeds; never retries 400, 403 or 404', async () => {
    handler = (_req, res, n) =>
      n === 1 ? json(res, 500, { errors: ['boom'] }) : json(res, 200, { data: { a: 1 } });
    expect((await client().read('secret/data/x'))?.data).toEqual({ a: 1 });
    expect(count).toBe(2);
    for (const status of [400, 403, 404]) {
      count = 0;
      handler = (_req, res) => json(res, status, { errors: status === 404 ? [] : ['no'] });
      await client()
        .read('secret/data/x')
        .catch(() => undefined);
      expect(count).toBe(1);
    }
    handler = (_req, res) =>
      json(res, 403, { errors: ['1 error occurred:\n\t* permission denied\n\n'] });
    const e = await failure(client().read('secret/data/x'));
    expect(e).toBeInstanceOf(VaultPermissionError);
    expect((e as VaultPermissionError).vaultErrors).toEqual([
      '1 error occurred: * permission denied',
    ]);
  });

  it('honours Retry-After on 429 (capped at maxDelayMs) and gives up with VaultUnavailableError', async () => {
    handler = (_req, res, n) =>
      n === 1
        ? json(res, 429, { errors: ['rate limit quota exceeded'] }, { 'Retry-After': '0.2' })
        : json(res, 200, { data: {} });
    const started = Date.now();
    await client().read('secret/data/x');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(count).toBe(2);
    handler = (_req, res) => json(res, 503, { errors: ['Vault is sealed'] });
    count = 0;
    const e = await failure(client({ attempts: 2 }).read('secret/data/x'));
    expect(e).toBeInstanceOf(VaultUnavailableError);
    expect((e as VaultUnavailableError).errorCode).toBe('HTTP_503');
    expect((e as Error).message).toContain('Vault is sealed');
    expect(count).toBe(2);
  });

  it('does not retry a POST after a 500 or 502 (it may have been applied) but does after a sealed 503', async () => {
    handler = (_req, res) => json(res, 500, { errors: ['x'] });
    await client()
      .write('secret/data/x', { data: {} })
      .catch(() => undefined);
    expect(count).toBe(1);
    count = 0;
    handler = (_req, res) => json(res, 502, { errors: [] });
    await client()
      .write('secret/data/x', { data: {} })
      .catch(() => undefined);
    expect(count).toBe(1);
    count = 0;
    handler = (_req, res, n) =>
      n === 1
        ? json(res, 503, { errors: ['Vault is sealed'] })
        : json(res, 200, { data: { version: 1 } });
    expect((await client().write('secret/data/x', { data: {} }))?.data).toEqual({ version: 1 });
    expect(count).toBe(2);
  });

  it('times out slow answers with ETIMEDOUT after retries', async () => {
    handler = (_req, res) => setTimeout(() => json(res, 200, { data: {} }), 400).unref();
    const e = await failure(client({ timeoutMs: 100, attempts: 2 }).read('secret/data/slow'));
    expect(e).toBeInstanceOf(VaultUnavailableError);
    expect((e as VaultUnavailableError).errorCode).toBe('ETIMEDOUT');
    expect((e as VaultUnavailableError).attempts).toBe(2);
  });

  it('retries a reset connection', async () => {
    handler = (req, res, n) =>
      n === 1 ? req.socket.destroy() : json(res, 200, { data: { ok: true } });
    expect((await client().read('secret/data/x'))?.data).toEqual({ ok: true });
    handler = req => req.socket.destroy();
    const e = await failure(client({ attempts: 2 }).read('secret/data/x'));
    expect((e as VaultUnavailableError).errorCode).toBe('ECONNRESET');
  });

  it('turns malformed, truncated, oversized and wrongly shaped bodies into VaultResponseError', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"data": {"a": ');
    };
    let e = await failure(client().read('secret/data/bad'));
    expect(e).toBeInstanceOf(VaultResponseError);
    expect((e as Error).message).toContain('secret/data/bad: the response body is not valid JSON');
    expect(count).toBe(1);

    count = 0;
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '500' });
      res.write('{"data": {"a": "canary-partial');
      setTimeout(() => res.socket?.destroy(), 5);
    };
    e = await failure(client({ attempts: 2 }).read('secret/data/cut'));
    expect(e).toBeInstanceOf(VaultResponseError);
    expect((e as VaultResponseError).reason).toBe('the response body was cut short');
    expect(inspect(e)).not.toContain('canary-partial');
    expect(count).toBe(2);

    handler = (_req, res) => json(res, 200, { data: { big: 'x'.repeat(5000) } });
    e = await failure(client({ maxBodyBytes: 1000 }).read('secret/data/big'));
    expect((e as VaultResponseError).reason).toBe('the response body is larger than 1000 bytes');

    for (const body of [[], { data: 'str' }, { data: null }, 'text']) {
      handler = (_req, res) => json(res, 200, body);
      e = await failure(client().read('secret/data/shape'));
      expect(e).toBeInstanceOf(VaultResponseError);
    }
  });

  it('reads sys/health statuses as answers and prints without the token', async () => {
    handler = (_req, res) =>
      json(res, 503, { initialized: true, sealed: true, standby: false, version: '2.7.2' });
    const c = client();
    expect(await c.health()).toEqual({
      status: 503,
      initialized: true,
      sealed: true,
      standby: false,
      version: '2.7.2',
    });
    expect(seen[0].headers['x-vault-token']).toBeUndefined();
    expect(inspect(c, { depth: 10, showHidden: true })).not.toContain(TOKEN);
    expect(JSON.stringify(c)).not.toContain(TOKEN);
  });

  it('close() leaves no open keep-alive socket', async () => {
    handler = (_req, res) => json(res, 200, { data: {} });
    const c = client();
    await Promise.all([c.read('a'), c.read('b'), c.read('c')]);
    const open = () => new Promise<number>(r => server.getConnections((_e, n) => r(n)));
    expect(await open()).toBeGreaterThan(0);
    await c.close();
    for (let i = 0; i < 50 && (await open()) > 0; i++) await new Promise(r => setTimeout(r, 10));
    expect(await open()).toBe(0);
  });
});
