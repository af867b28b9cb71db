import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { VaultTestServer } from '../../../vault-testing/src/index.js';
import { HttpVaultTransport } from '../client/http-vault.transport.js';
import { VaultClient } from '../client/vault.client.js';
import { VaultResponseError } from '../errors/vault-response.error.js';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import { describeMount } from './describe-mount.js';

const READER = 'canary-reader-token-mount-spec';

describe('describeMount against the test server', () => {
  let server: VaultTestServer;
  const clients: VaultClient[] = [];

  beforeAll(async () => {
    server = await VaultTestServer.start({
      seed: {
        mounts: { legacy: { type: 'kv', version: 1 }, db: { type: 'database' } },
        policies: { 'app-only': 'path "secret/data/app/*" { capabilities = ["read"] }' },
        tokens: [{ id: READER, policies: ['app-only'], ttl: '1h' }],
      },
    });
  });
  afterEach(async () => {
    server.faults.clear();
    await Promise.all(clients.splice(0).map(c => c.close()));
  });
  afterAll(() => server.stop());

  const client = (token = server.rootToken) => {
    const c = new VaultClient({
      transport: new HttpVaultTransport({ address: server.url, timeoutMs: 2000 }),
      token,
      retry: { attempts: 2, minDelayMs: 1, maxDelayMs: 10 },
    });
    clients.push(c);
    return c;
  };
  /** Replaces Vault's answer for `sys/internal/ui/mounts/<mount>`. */
  const answer = (mount: string, status: number, body?: unknown) =>
    server.faults.inject({ path: `/v1/sys/internal/ui/mounts/${mount}`, status, body });

  it('KV v2 (the dev server’s secret/) and KV v1', async () => {
    expect(await describeMount(client(), 'secret')).toEqual({ state: 'kv', version: 2 });
    expect(await describeMount(client(), 'legacy')).toEqual({ state: 'kv', version: 1 });
  });

  it('another engine is named by its type', async () => {
    expect(await describeMount(client(), 'db')).toEqual({ state: 'other', type: 'database' });
    expect(await describeMount(client(), 'cubbyhole')).toEqual({
      state: 'other',
      type: 'cubbyhole',
    });
  });

  it('a token whose policies reach nothing under the mount is denied, with Vault’s reason', async () => {
    const denied = await describeMount(client(READER), 'legacy');
    expect(denied.state).toBe('denied');
    expect(denied.state === 'denied' && denied.vaultErrors.join()).toContain(
      'preflight capability check returned 403',
    );
    // As Vault does, the test server answers 403 for a mount that does not exist, even to root.
    expect((await describeMount(client(), 'nothing')).state).toBe('denied');
    // the same token may describe the mount its policy reaches into
    expect(await describeMount(client(READER), 'secret')).toEqual({ state: 'kv', version: 2 });
  });

  it('a mount Vault does not know (400 or 404) is missing', async () => {
    answer('nothing', 400, { errors: ['no mount'] });
    expect(await describeMount(client(), 'nothing')).toEqual({ state: 'missing' });
    server.faults.clear();
    answer('nothing', 404, { errors: [] });
    expect(await describeMount(client(), 'nothing')).toEqual({ state: 'missing' });
  });

  it('reads old and odd answers: no type is KV, generic is KV, version "2" or 2', async () => {
    const cases: [unknown, unknown][] = [
      [{ data: {} }, { state: 'kv', version: 1 }],
      [{ data: { options: { version: '2' } } }, { state: 'kv', version: 2 }],
      [{ data: { type: 'kv', options: { version: 2 } } }, { state: 'kv', version: 2 }],
      [{ data: { type: 'kv', options: null } }, { state: 'kv', version: 1 }],
      [{ data: { type: 'kv', options: { version: '3' } } }, { state: 'kv', version: 1 }],
      [{ data: { type: 'generic' } }, { state: 'kv', version: 1 }],
      [{ data: { type: 7 } }, { state: 'other', type: '7' }],
      [{ data: { type: 'x'.repeat(100) } }, { state: 'other', type: 'x'.repeat(40) }],
    ];
    for (const [body, expected] of cases) {
      server.faults.clear();
      answer('odd', 200, body);
      expect(await describeMount(client(), 'odd')).toEqual(expected);
    }
  });

  it.each([
    ['a JSON string', '"text"'],
    ['an empty body', ''],
    ['"data" null', { data: null }],
    ['"data" a list', { data: ['kv'] }],
  ])('a 200 whose body is %s is a VaultResponseError', async (_what, body) => {
    answer('odd', 200, body);
    const e = await describeMount(client(), 'odd').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(VaultResponseError);
    expect(e).toMatchObject({
      path: 'sys/internal/ui/mounts/odd',
      status: 200,
      reason: '"data" is not an object',
    });
  });

  it('other statuses reject with the status error (after the client’s retries for 5xx)', async () => {
    answer('odd', 405, { errors: ['unsupported operation'] });
    const e = await describeMount(client(), 'odd').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(VaultResponseError);
    expect(e).toMatchObject({ status: 405, vaultErrors: ['unsupported operation'] });
    server.faults.clear();
    answer('odd', 500);
    const down = await describeMount(client(), 'odd').catch((err: unknown) => err);
    expect(down).toBeInstanceOf(VaultUnavailableError);
    expect(down).toMatchObject({ errorCode: 'HTTP_500', attempts: 2 });
  });
});
