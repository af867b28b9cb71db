/**
 * What a request that may not be repeated meets (issue 21, items 6 and 10), over real HTTP against
 * the test server: no resend after an answer that may have come after Vault acted, and the
 * request's own token and body values cut out of whatever Vault (or a proxy) echoes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { VaultTestServer, type FaultOptions } from '../../../vault-testing/src/index.js';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import type { VaultHttpMethod, VaultResponse } from '../interfaces/vault-transport.interface.js';
import type { ResolvedRetryOptions } from '../options/resolved-vault-config-options.interface.js';
import { HttpVaultTransport } from './http-vault.transport.js';
import { requestSecrets } from './request-secrets.js';
import { isIdempotent, sendWithRetries } from './retrying-request.js';

const FAST: ResolvedRetryOptions = { attempts: 3, minDelayMs: 1, maxDelayMs: 50 };

const outcome = (p: Promise<VaultResponse>): Promise<VaultResponse | Error> =>
  p.catch((e: unknown) => e as Error);

describe('writes, lost answers and echoes (test server)', () => {
  let server: VaultTestServer;
  const transports: HttpVaultTransport[] = [];

  beforeAll(async () => {
    server = await VaultTestServer.start({ seed: { secrets: { 'secret/app': { A: '1' } } } });
  });
  afterEach(() => {
    server.faults.clear();
    transports.splice(0).forEach(t => t.close());
  });
  afterAll(() => server.stop());

  const send = (method: VaultHttpMethod, path: string) => {
    const transport = new HttpVaultTransport({ address: server.url, timeoutMs: 2000 });
    transports.push(transport);
    return outcome(
      sendWithRetries(
        transport,
        {
          method,
          path,
          token: server.rootToken,
          ...(method === 'POST' ? { body: { data: { A: '2' } } } : {}),
        },
        { address: server.url, retry: FAST, idempotent: isIdempotent(method) },
      ),
    );
  };
  const fault = (path: string, options: Omit<FaultOptions, 'path'>) =>
    server.faults.inject({ path: `/v1/${path}`, ...options });

  it.each([
    [502, undefined],
    [504, undefined],
    [503, 'upstream connect error or disconnect/reset before headers'],
  ])(
    'never resends a POST after %i (the server may have acted): the write lands once',
    async (status, page) => {
      const before = server.stats().byRoute['POST /v1/secret/data/app'] ?? 0;
      fault('secret/data/app', {
        status,
        afterHandling: true,
        ...(page !== undefined ? { body: page } : {}),
      });
      expect(await send('POST', 'secret/data/app')).toMatchObject({ status });
      expect((server.stats().byRoute['POST /v1/secret/data/app'] ?? 0) - before).toBe(1);
      server.faults.clear();
      const read = (await send('GET', 'secret/data/app')) as VaultResponse;
      const version = (read.body as { data: { metadata: { version: number } } }).data.metadata
        .version;
      expect(await send('POST', 'secret/data/app')).toMatchObject({ status: 200 });
      const next = (await send('GET', 'secret/data/app')) as VaultResponse;
      expect((next.body as { data: { metadata: { version: number } } }).data.metadata.version).toBe(
        version + 1,
      );
    },
  );

  it("cuts the request's token and body values out of Vault's errors before they are shortened", async () => {
    const long = `canary-long-${'x'.repeat(300)}`;
    fault('secret/data/app', {
      status: 500,
      body: { errors: [`echo ${server.rootToken} and ${long}`] },
    });
    const transport = new HttpVaultTransport({ address: server.url, timeoutMs: 2000 });
    transports.push(transport);
    const e = await outcome(
      sendWithRetries(
        transport,
        {
          method: 'POST',
          path: 'secret/data/app',
          token: server.rootToken,
          body: { data: { A: long } },
        },
        { address: server.url, retry: { ...FAST, attempts: 2 }, idempotent: true },
      ),
    );
    expect(e).toBeInstanceOf(VaultUnavailableError);
    expect((e as VaultUnavailableError).vaultErrors).toEqual(['echo [REDACTED] and [REDACTED]']);
    expect(inspect(e) + JSON.stringify(e)).not.toContain('canary-long-xxxx');
  });

  it('takes the token and every body string but the top-level names, longest first', () => {
    const secrets = requestSecrets({
      method: 'POST',
      path: 'pki/issue/web',
      token: 'hvs.the-token',
      body: { common_name: 'app.example.com', role: 'web', data: { name: 'n-value', pw: 'abc' } },
    });
    expect(secrets).toEqual(['hvs.the-token', 'n-value']);
  });
});
