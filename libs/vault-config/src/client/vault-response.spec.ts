import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { VaultTestServer } from '../../../vault-testing/src/index.js';
import { VaultPermissionError } from '../errors/vault-permission.error.js';
import { VaultResponseError } from '../errors/vault-response.error.js';
import type { VaultHttpMethod, VaultResponse } from '../interfaces/vault-transport.interface.js';
import { HttpVaultTransport } from './http-vault.transport.js';
import { expectAuth, expectEnvelope, expectHealth, statusError } from './vault-response.js';

const READER = 'canary-reader-token-response-spec';

describe('vault-response parsers on real answers of the test server', () => {
  let server: VaultTestServer;
  let transport: HttpVaultTransport;

  beforeAll(async () => {
    server = await VaultTestServer.start({
      seed: {
        secrets: { 'secret/app/config': { API_KEY: 'canary-value-response-spec' } },
        policies: { reader: 'path "secret/data/app/*" { capabilities = ["read"] }' },
        tokens: [{ id: READER, policies: ['reader'], ttl: '1h' }],
      },
    });
    transport = new HttpVaultTransport({ address: server.url, timeoutMs: 2000 });
  });
  afterEach(() => server.faults.clear());
  afterAll(async () => {
    transport.close();
    await server.stop();
  });

  /** One real HTTP answer; `body` (any JSON, or a raw string) replaces Vault's with that status. */
  const answer = (
    path: string,
    replaced?: { status: number; body?: unknown },
    method: VaultHttpMethod = 'GET',
    token = server.rootToken,
  ): Promise<VaultResponse> => {
    if (replaced) server.faults.inject({ path: `/v1/${path}`, ...replaced });
    return transport.request({ method, path, token });
  };
  const thrown = (fn: () => unknown): unknown => {
    try {
      fn();
    } catch (error) {
      return error;
    }
    throw new Error('expected a throw');
  };

  describe('statusError', () => {
    it('403 → VaultPermissionError naming the path and the capability, with Vault’s errors', async () => {
      const res = await answer('secret/data/other', undefined, 'GET', READER);
      expect(res.status).toBe(403);
      const error = statusError(res, 'secret/data/other', 'read');
      expect(error).toBeInstanceOf(VaultPermissionError);
      expect(error).toMatchObject({ paths: ['secret/data/other'], capability: 'read' });
      expect((error as VaultPermissionError).vaultErrors).toEqual([
        '1 error occurred: * permission denied',
      ]);
      expect(error.message).toContain(`"secret/data/other"`);
      expect(error.message).toContain(`'read' capability`);
    });

    it('any other status → VaultResponseError with the path, the status and Vault’s errors', async () => {
      const missing = statusError(await answer('secret/data/nope'), 'secret/data/nope', 'read');
      expect(missing).toBeInstanceOf(VaultResponseError);
      expect(missing).not.toBeInstanceOf(VaultPermissionError);
      expect(missing).toMatchObject({
        path: 'secret/data/nope',
        status: 404,
        reason: 'status 404',
      });

      const res = await answer('secret/data/x', { status: 500, body: { errors: ['boom'] } });
      const failed = statusError(res, 'secret/data/x', 'read') as VaultResponseError;
      expect(failed).toMatchObject({ status: 500, reason: 'status 500', vaultErrors: ['boom'] });
      expect(failed.message).toContain('secret/data/x: status 500 (boom)');
    });
  });

  describe('expectEnvelope', () => {
    it('returns a good envelope as it came', async () => {
      const res = await answer('secret/data/app/config');
      const envelope = expectEnvelope<{ data: Record<string, string> }>(res, 'p', 'read');
      expect(envelope.data.data).toEqual({ API_KEY: 'canary-value-response-spec' });
      expect(envelope).toBe(res.body);
    });

    it('rejects a non-2xx status with the status error and the given capability', async () => {
      const res = await answer('secret/data/other', undefined, 'GET', READER);
      const error = thrown(() => expectEnvelope(res, 'secret/data/other', 'list'));
      expect(error).toBeInstanceOf(VaultPermissionError);
      expect((error as VaultPermissionError).capability).toBe('list');
      const missing = thrown(() => expectEnvelope(res, 'x', 'read', true));
      expect(missing).toBeInstanceOf(VaultPermissionError);
    });

    it.each([
      ['a JSON string', '"just text"'],
      ['an array', [{ data: {} }]],
      ['a number', 42],
      ['an empty body', ''],
    ])('rejects a body that is %s', async (_what, body) => {
      const res = await answer('secret/data/odd', { status: 200, body });
      const error = thrown(() => expectEnvelope(res, 'secret/data/odd', 'read'));
      expect(error).toBeInstanceOf(VaultResponseError);
      expect(error).toMatchObject({
        path: 'secret/data/odd',
        status: 200,
        reason: 'the body is not a JSON object',
      });
    });

    it.each([
      ['a string', { data: 'str' }],
      ['null', { data: null }],
      ['a list', { data: [1] }],
      ['absent', { warnings: [] }],
    ])('rejects "data" that is %s, unless null data is allowed', async (_what, body) => {
      const res = await answer('secret/data/odd', { status: 200, body });
      const error = thrown(() => expectEnvelope(res, 'secret/data/odd', 'read'));
      expect(error).toBeInstanceOf(VaultResponseError);
      expect((error as VaultResponseError).reason).toBe('"data" is not an object');
      expect(expectEnvelope(res, 'secret/data/odd', 'update', true)).toBe(res.body);
    });
  });

  describe('expectAuth', () => {
    it('reads a real login block (auth/token/create) and keeps only typed fields', async () => {
      const res = await transport.request({
        method: 'POST',
        path: 'auth/token/create',
        token: server.rootToken,
        body: { policies: ['reader'], ttl: '1h' },
      });
      const envelope = expectEnvelope<unknown>(res, 'auth/token/create', 'update', true);
      const auth = expectAuth(envelope, 'auth/token/create');
      expect(auth.client_token).toMatch(/^hvs\./);
      expect(auth).toMatchObject({ renewable: true, lease_duration: 3600 });
      expect(typeof auth.accessor).toBe('string');
      expect(auth.policies).toEqual(['default', 'reader']);
    });

    it('defaults odd fields and drops non-string policies', async () => {
      const body = {
        auth: {
          client_token: 't',
          lease_duration: '60',
          renewable: 'yes',
          accessor: 7,
          policies: ['a', 1, null, 'b'],
          token_policies: 'a',
        },
      };
      const res = await answer('auth/approle/login', { status: 200, body }, 'POST');
      const envelope = expectEnvelope<unknown>(res, 'auth/approle/login', 'update', true);
      expect(expectAuth(envelope, 'auth/approle/login')).toEqual({
        client_token: 't',
        lease_duration: 0,
        renewable: false,
        policies: ['a', 'b'],
      });
    });

    it.each([
      ['no auth block', { data: {}, auth: null }],
      ['auth not an object', { auth: 'hvs.x' }],
      ['no client_token', { auth: { lease_duration: 60 } }],
      ['an empty client_token', { auth: { client_token: '' } }],
      ['a numeric client_token', { auth: { client_token: 12 } }],
    ])('rejects %s', async (_what, body) => {
      const res = await answer('auth/approle/login', { status: 200, body }, 'POST');
      const envelope = expectEnvelope<unknown>(res, 'auth/approle/login', 'update', true);
      const error = thrown(() => expectAuth(envelope, 'auth/approle/login'));
      expect(error).toBeInstanceOf(VaultResponseError);
      expect(error).toMatchObject({
        path: 'auth/approle/login',
        reason: 'the answer has no auth.client_token',
      });
    });
  });

  describe('expectHealth', () => {
    it('reads active, sealed and standby answers (their statuses are answers, not errors)', async () => {
      expect(expectHealth(await answer('sys/health'))).toEqual({
        status: 200,
        initialized: true,
        sealed: false,
        standby: false,
        version: expect.any(String),
      });
      server.seal();
      try {
        expect(expectHealth(await answer('sys/health'))).toMatchObject({
          status: 503,
          sealed: true,
        });
      } finally {
        server.unseal();
      }
      server.setHealthMode('standby');
      try {
        expect(expectHealth(await answer('sys/health'))).toMatchObject({
          status: 429,
          standby: true,
          sealed: false,
        });
      } finally {
        server.setHealthMode('active');
      }
    });

    it('leaves out a version that is not a string and reads non-true flags as false', async () => {
      const body = { sealed: false, initialized: 'yes', standby: 1, version: 2 };
      expect(expectHealth(await answer('sys/health', { status: 200, body }))).toEqual({
        status: 200,
        initialized: false,
        sealed: false,
        standby: false,
      });
    });

    it.each([
      ['an empty body', ''],
      ['an error body', { errors: ['Vault is sealed'] }],
      ['sealed as a string', { sealed: 'false', initialized: true }],
      ['a list', [{ sealed: false }]],
    ])('rejects %s as not a health answer', async (_what, body) => {
      const res = await answer('sys/health', { status: 200, body });
      const error = thrown(() => expectHealth(res));
      expect(error).toBeInstanceOf(VaultResponseError);
      expect(error).toMatchObject({
        path: 'sys/health',
        status: 200,
        reason: 'not a health answer',
      });
    });
  });
});
