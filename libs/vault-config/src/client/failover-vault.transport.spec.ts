import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { VaultTestServer } from '../../../vault-testing/src/index.js';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import { validateVaultConfigOptions } from '../options/validate-vault-config-options.js';
import { AddressInUse } from './address-in-use.js';
import { createVaultClient } from './create-vault-client.js';
import type { VaultClient } from './vault.client.js';

const TOKEN = 'canary-failover-token-spec';
const SECRET = 'canary-failover-secret-value';
const TLS_FIXTURES = join(process.cwd(), 'test', 'fixtures', 'tls');

/** Three independent test servers stand in for the nodes of one cluster (same token, same data). */
describe('FailoverVaultTransport through VaultClient (three test servers)', () => {
  let nodes: VaultTestServer[];
  const clients: VaultClient[] = [];

  beforeAll(async () => {
    nodes = await Promise.all(
      [0, 1, 2].map(() =>
        VaultTestServer.start({
          seed: {
            secrets: { 'secret/app': { K: SECRET } },
            tokens: [{ id: TOKEN, ttl: '1h', policies: ['root'] }],
          },
        }),
      ),
    );
  });
  beforeEach(async () => {
    for (const n of nodes) {
      n.faults.clear();
      n.unseal();
      if (!(await reachable(n))) await n.restart();
      n.resetStats();
    }
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
  });
  afterAll(() => Promise.all(nodes.map(n => n.stop())));

  const reachable = (n: VaultTestServer) =>
    fetch(`${n.url}/v1/sys/health`).then(
      r => r.arrayBuffer().then(() => true),
      () => false,
    );
  const client = async (options: Partial<VaultConfigOptions> = {}) => {
    const resolved = validateVaultConfigOptions(
      {
        address: nodes.map(n => n.url),
        auth: { method: 'token', token: TOKEN },
        // Far above a normal answer even on a loaded machine, far below the injected latencies.
        timeoutMs: 800,
        retry: { attempts: 1 },
        ...options,
      },
      {},
    );
    const c = await createVaultClient(resolved);
    c.setToken(TOKEN);
    clients.push(c);
    return c;
  };
  const count = (n: VaultTestServer, route: string) => n.stats().byRoute[route] ?? 0;
  const READ = 'GET /v1/secret/data/app';
  const WRITE = 'POST /v1/secret/data/app';
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e as Error,
    );

  it('sends to the first address while it answers', async () => {
    const c = await client();
    expect((await c.read('secret/data/app'))?.data).toMatchObject({ data: { K: SECRET } });
    expect(c.address).toBe(nodes[0].url);
    expect(nodes.map(n => count(n, READ))).toEqual([1, 0, 0]);
  });

  it('a refused connection moves to the next address, which stays in use when the first returns', async () => {
    const c = await client();
    await nodes[0].stop();
    expect((await c.read('secret/data/app'))?.data).toMatchObject({ data: { K: SECRET } });
    expect(c.address).toBe(nodes[1].url);
    await nodes[0].restart();
    for (let i = 0; i < 3; i++) await c.read('secret/data/app');
    expect(nodes.map(n => count(n, READ))).toEqual([0, 4, 0]);
    expect(c.address).toBe(nodes[1].url);
  });

  it('a refused connection is not a request Vault saw: a POST goes to the next node', async () => {
    const c = await client();
    await nodes[0].stop();
    await c.write('secret/data/app', { data: { K: SECRET } });
    expect(nodes.map(n => count(n, WRITE))).toEqual([0, 1, 0]);
  });

  it('a sealed node (503) moves on; the request is resent, POST included (not acted on)', async () => {
    const c = await client();
    nodes[0].seal();
    await c.write('secret/data/app', { data: { K: SECRET } });
    expect((await c.read('secret/data/app'))?.data).toMatchObject({ data: { K: SECRET } });
    expect(nodes.map(n => count(n, WRITE))).toEqual([1, 1, 0]);
    expect(nodes.map(n => count(n, READ))).toEqual([0, 1, 0]);
    expect(c.address).toBe(nodes[1].url);
  });

  it('a timeout moves on; a GET is resent, a POST that may have reached Vault is not', async () => {
    const c = await client();
    nodes[0].faults.inject({ path: '/v1/secret/data/app', latencyMs: 2500 });
    expect((await c.read('secret/data/app'))?.data).toMatchObject({ data: { K: SECRET } });
    expect(nodes.map(n => count(n, READ))).toEqual([1, 1, 0]);
    nodes[1].faults.inject({ path: '/v1/secret/data/app', method: 'POST', latencyMs: 2500 });
    const error = await failure(c.write('secret/data/app', { data: { K: 'x' } }));
    expect(error).toBeInstanceOf(VaultUnavailableError);
    expect(error).toMatchObject({ errorCode: 'ETIMEDOUT', address: nodes[1].url });
    expect(error?.message).toContain(`Vault at ${nodes[1].url} is unavailable (ETIMEDOUT)`);
    expect(nodes.map(n => count(n, WRITE))).toEqual([0, 1, 0]);
    expect(c.address).toBe(nodes[2].url);
  });

  it('a POST the client knows is harmless to repeat (token renewal) is resent after a timeout', async () => {
    const c = await client();
    nodes[0].faults.inject({ path: '/v1/auth/token/renew-self', latencyMs: 2500 });
    expect(await c.renewSelf()).toMatchObject({ client_token: TOKEN });
    const renewals = nodes.map(n => count(n, 'POST /v1/auth/token/renew-self'));
    expect(renewals).toEqual([1, 1, 0]);
  });

  it('a reset connection moves on; a POST is not resent even with retries left', async () => {
    const c = await client({ retry: { attempts: 3, minDelayMs: 1, maxDelayMs: 5 } });
    nodes[0].faults.inject({ path: '/v1/secret/data/app', method: 'POST', reset: true });
    const error = await failure(c.write('secret/data/app', { data: { K: 'x' } }));
    expect(error).toMatchObject({ errorCode: 'ECONNRESET', address: nodes[0].url, attempts: 1 });
    expect(nodes.map(n => count(n, WRITE))).toEqual([1, 0, 0]);
    expect(c.address).toBe(nodes[1].url);
  });

  it('a 500 moves on; resent only when idempotent', async () => {
    const c = await client();
    nodes[0].faults.inject({ path: '/v1/secret/data/app', status: 500, times: 1 });
    expect((await c.read('secret/data/app'))?.data).toMatchObject({ data: { K: SECRET } });
    nodes[1].faults.inject({ path: '/v1/secret/data/app', method: 'POST', status: 500 });
    const error = await failure(c.write('secret/data/app', { data: { K: 'x' } }));
    expect(error).toMatchObject({ status: 500 });
    expect(nodes.map(n => [count(n, READ), count(n, WRITE)])).toEqual([
      [1, 0],
      [1, 1],
      [0, 0],
    ]);
    expect(c.address).toBe(nodes[2].url);
  });

  it('a redirect (a standby that cannot forward) is not followed: the next node gets the request', async () => {
    const c = await client();
    nodes[0].faults.inject({
      path: '/v1/secret/data/app',
      status: 307,
      headers: { location: 'http://127.0.0.1:1/v1/secret/data/app' },
    });
    await c.write('secret/data/app', { data: { K: SECRET } });
    expect(nodes.map(n => count(n, WRITE))).toEqual([1, 1, 0]);
  });

  it('429 and 4xx are answers of the cluster, not of a node: no move', async () => {
    const c = await client();
    nodes[0].faults.inject({ path: '/v1/secret/data/app', retryAfterS: 1, times: 1 });
    expect(await failure(c.read('secret/data/app'))).toMatchObject({ errorCode: 'HTTP_429' });
    expect(await c.read('secret/data/missing')).toBeUndefined();
    expect(c.address).toBe(nodes[0].url);
    expect(nodes.map(n => count(n, READ))).toEqual([1, 0, 0]);
  });

  it('a refused TLS handshake is configuration: no failover', async () => {
    const tls = createHttpsServer({
      key: readFileSync(join(TLS_FIXTURES, 'server-key.pem')),
      cert: readFileSync(join(TLS_FIXTURES, 'server.pem')),
    });
    tls.on('tlsClientError', () => undefined);
    await new Promise<void>(r => tls.listen(0, '127.0.0.1', r));
    try {
      const untrusted = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
      const c = await client({ address: [untrusted, nodes[1].url, nodes[2].url] });
      const error = await failure(c.read('secret/data/app'));
      expect(error).toBeInstanceOf(VaultUnavailableError);
      expect((error as VaultUnavailableError).errorCode).toMatch(/CERT|UNABLE_TO|SELF_SIGNED/);
      expect((error as VaultUnavailableError).address).toBe(untrusted);
      expect(c.address).toBe(untrusted);
      expect(count(nodes[1], READ)).toBe(0);
    } finally {
      tls.closeAllConnections();
      await new Promise(r => tls.close(r));
    }
  });

  it('many requests failing on one node at once move once, to the next node only', async () => {
    const c = await client();
    nodes[0].faults.inject({ path: '/v1/secret/data/app', status: 503 });
    // Fewer than `concurrency` (16) sockets: every request is on the wire before the first answer.
    const reads = await Promise.all(Array.from({ length: 12 }, () => c.read('secret/data/app')));
    expect(reads.every(r => r?.data.data !== undefined)).toBe(true);
    expect(nodes.map(n => count(n, READ))).toEqual([12, 12, 0]);
    expect(c.address).toBe(nodes[1].url);
  });

  it('each node is tried once per attempt; the error names the last one and carries no secret', async () => {
    const c = await client({ retry: { attempts: 2, minDelayMs: 1, maxDelayMs: 5 } });
    for (const n of nodes) n.seal();
    const error = await failure(c.read('secret/data/app'));
    expect(error).toBeInstanceOf(VaultUnavailableError);
    // Attempt 1 tried 0, 1, 2 (and came back round to 0); attempt 2 tried 0, 1, 2 again.
    expect(error).toMatchObject({ errorCode: 'HTTP_503', attempts: 2, address: nodes[2].url });
    expect(nodes.map(n => count(n, READ))).toEqual([2, 2, 2]);
    for (const text of [error?.message, inspect(error), JSON.stringify(error), inspect(c)]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(SECRET);
    }
  });

  it('sys/health follows the failover: a sealed node answers for none', async () => {
    const c = await client();
    nodes[0].seal();
    expect(await c.health()).toMatchObject({ sealed: false, status: 200 });
    expect(c.address).toBe(nodes[1].url);
    await nodes[1].stop();
    expect(await c.health()).toMatchObject({ sealed: false, status: 200 });
    expect(c.address).toBe(nodes[2].url);
  });

  it('clients made from the same options share the address in use', async () => {
    const resolved = validateVaultConfigOptions({ address: nodes.map(n => n.url) }, {});
    const [a, b] = [await createVaultClient(resolved), await createVaultClient(resolved)];
    clients.push(a, b);
    await nodes[0].stop();
    await a.health();
    expect([a.address, b.address]).toEqual([nodes[1].url, nodes[1].url]);
  });
});

describe('AddressInUse', () => {
  it('moves past a failed node once, wrapping around, and ignores a stale failure', () => {
    const inUse = new AddressInUse(['a', 'b', 'c']);
    inUse.leave(0);
    inUse.leave(0);
    expect(inUse.address).toBe('b');
    inUse.leave(1);
    inUse.leave(2);
    expect(inUse.address).toBe('a');
    expect(() => new AddressInUse([])).toThrow();
  });
});
