/**
 * TransitService's request and answer mapping over real HTTP against the in-memory Vault: what is
 * sent, and what odd or hostile answers (injected faults) turn into. The Nest app suites are in
 * test/e2e/module-transit*.e2e-spec.ts; the server itself is compared with OpenBao in test/contract.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { VaultTestServer } from '../../../vault-testing/src/index.js';
import { VaultResponseError } from '../errors/vault-response.error.js';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import { VaultSecretsRuntime } from '../runtime/vault-secrets-runtime.js';
import { VaultTransitError } from './errors/vault-transit.error.js';
import { TransitService } from './transit.service.js';

const SECRET = 'plaintext-canary-7f3a';
const B64 = Buffer.from(SECRET).toString('base64');

describe('TransitService request and answer mapping', () => {
  let server: VaultTestServer;
  let runtime: VaultSecretsRuntime;
  let transit: TransitService;
  const vault = async (path: string, body: unknown) => {
    const res = await fetch(`${server.url}/v1/${path}`, {
      method: 'POST',
      headers: { 'X-Vault-Token': 'root' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return (text ? JSON.parse(text) : {}) as { data: Record<string, unknown> };
  };
  const fault = (path: string, status: number, body: unknown) =>
    server.faults.inject({ path: `/v1/transit/${path}`, status, body, times: 1 });
  const rejected = async (promise: Promise<unknown>): Promise<Error> => {
    const error = (await promise.then(
      () => undefined,
      (e: unknown) => e,
    )) as Error;
    expect(error).toBeInstanceOf(Error);
    for (const text of [error.message, JSON.stringify(error), inspect(error)]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(B64);
    }
    return error;
  };

  beforeAll(async () => {
    server = await VaultTestServer.start({ rootToken: 'root' });
    await vault('sys/mounts/transit', { type: 'transit' });
    await vault('transit/keys/k', {});
    await vault('transit/keys/d', { derived: true });
    runtime = await VaultSecretsRuntime.start({
      address: server.url,
      auth: { method: 'token', token: 'root' },
      sources: [],
      retry: { attempts: 1 },
      renewToken: false,
    });
    transit = new TransitService(runtime);
  });
  afterAll(async () => {
    await runtime?.close();
    await server?.stop();
  });

  it('sends the UTF-8 bytes of a string, the bytes of a Buffer view, and the context, in base64', async () => {
    const text = `${SECRET} é`;
    const ciphertext = await transit.encrypt('d', text, { context: 'row-1' });
    const raw = await vault('transit/decrypt/d', {
      ciphertext,
      context: Buffer.from('row-1').toString('base64'),
    });
    expect(raw.data.plaintext).toBe(Buffer.from(text, 'utf8').toString('base64'));
    const view = Buffer.from('xxABCxx').subarray(2, 5);
    const viewCt = await transit.encrypt('k', view);
    expect((await vault('transit/decrypt/k', { ciphertext: viewCt })).data.plaintext).toBe(
      Buffer.from('ABC').toString('base64'),
    );
    const bytes = new Uint8Array([1, 2, 3]);
    expect(await transit.decrypt('k', await transit.encrypt('k', bytes))).toEqual(
      Buffer.from(bytes),
    );
  });

  it('odd success answers are VaultResponseErrors naming the path and field, never the value', async () => {
    const cases: [string, unknown, () => Promise<unknown>, RegExp][] = [
      [
        'encrypt/k',
        { data: { ciphertext: 42 } },
        () => transit.encrypt('k', SECRET),
        /data\.ciphertext is not a vault:v<N>: ciphertext/,
      ],
      [
        'encrypt/k',
        { data: { ciphertext: `prefix:${B64}` } },
        () => transit.encrypt('k', SECRET),
        /data\.ciphertext/,
      ],
      [
        'encrypt/k',
        ['not', 'an', 'object'],
        () => transit.encrypt('k', SECRET),
        /the body is not a JSON object/,
      ],
      ['encrypt/k', { data: null }, () => transit.encrypt('k', SECRET), /"data" is not an object/],
      [
        'decrypt/k',
        { data: { plaintext: `${B64}%%` } },
        () => transit.decrypt('k', 'vault:v1:AAAA'),
        /data\.plaintext is not base64/,
      ],
      [
        'verify/k',
        { data: { valid: 'true' } },
        () => transit.verifyHmac('k', SECRET, 'vault:v1:AAAA'),
        /data\.valid is not a boolean/,
      ],
      [
        'encrypt/k',
        { data: { batch_results: [{ ciphertext: 'vault:v1:AAAA' }] } },
        () => transit.encryptMany('k', [SECRET, SECRET]),
        /batch_results is not a list of 2/,
      ],
      [
        'decrypt/k',
        { data: { batch_results: ['x'] } },
        () => transit.decryptMany('k', ['vault:v1:AAAA']),
        /batch_results\[0\] is not an object/,
      ],
      [
        'decrypt/k',
        { data: { batch_results: [{ plaintext: 7 }] } },
        () => transit.decryptMany('k', ['vault:v1:AAAA']),
        /batch_results\[0\]\.plaintext is not base64/,
      ],
    ];
    for (const [path, body, run, reason] of cases) {
      fault(path, 200, body);
      const error = await rejected(run());
      expect(error).toBeInstanceOf(VaultResponseError);
      expect([path, (error as VaultResponseError).path, error.message]).toEqual([
        path,
        `transit/${path}`,
        expect.stringMatching(reason),
      ]);
    }
  });

  it("Vault's error strings are shown without any of the request's data, even if Vault echoed it", async () => {
    fault('encrypt/k', 400, { errors: [`cannot encrypt ${B64}: illegal base64`] });
    const error = await rejected(transit.encrypt('k', SECRET));
    expect(error).toBeInstanceOf(VaultTransitError);
    expect((error as VaultTransitError).vaultErrors).toEqual([
      'cannot encrypt [REDACTED]: illegal base64',
    ]);
    fault('decrypt/k', 400, {
      data: { batch_results: [{ plaintext: '', error: `bad vault:v1:${B64}` }] },
    });
    const [item] = await transit.decryptMany('k', [`vault:v1:${B64}`]);
    expect(item?.ok).toBe(false);
    if (item?.ok === false) expect(item.error.vaultErrors).toEqual(['bad [REDACTED]']);
  });

  it('a long plaintext echoed by Vault leaves no prefix behind: cut out before shortening', async () => {
    const long = `${SECRET}-${'p'.repeat(400)}`;
    const long64 = Buffer.from(long).toString('base64');
    fault('encrypt/k', 400, { errors: [`cannot encrypt ${long64}`] });
    const error = await rejected(transit.encrypt('k', long));
    expect((error as VaultTransitError).vaultErrors).toEqual(['cannot encrypt [REDACTED]']);
    fault('decrypt/k', 200, {
      data: { batch_results: [{ plaintext: '', error: `bad vault:v1:${long64}` }] },
    });
    const [item] = await transit.decryptMany('k', [`vault:v1:${long64}`]);
    expect(item?.ok).toBe(false);
    if (item?.ok === false) expect(item.error.vaultErrors).toEqual(['bad [REDACTED]']);
    const shown = [
      inspect(error),
      JSON.stringify(error),
      item?.ok === false ? inspect(item.error) : '',
    ];
    for (const text of shown) expect(text).not.toContain(long64.slice(0, 40));
  });

  it('statuses: 500 with batch results is per item; 404 no handler is not-mounted; 503 is unavailable', async () => {
    fault('encrypt/k', 500, {
      data: { batch_results: [{ ciphertext: 'vault:v1:AAAA' }, { error: 'internal error' }] },
    });
    const results = await transit.encryptMany('k', ['a', 'b']);
    expect(results[0]).toEqual({ ok: true, value: 'vault:v1:AAAA' });
    expect(results[1]).toMatchObject({ ok: false, error: { index: 1, kind: 'invalid-request' } });

    const nowhere = await rejected(transit.withMount('/nowhere/').encrypt('k', SECRET));
    expect(nowhere).toMatchObject({ kind: 'not-mounted', mount: 'nowhere', status: 404 });

    fault('hmac/k', 503, { errors: ['Vault is sealed'] });
    expect(await rejected(transit.hmac('k', SECRET))).toBeInstanceOf(VaultUnavailableError);
    fault('sign/k', 418, {});
    expect(await rejected(transit.sign('k', SECRET))).toBeInstanceOf(VaultResponseError);
  });

  it('verify: false for every complaint about the signature or HMAC itself, an error for the rest', async () => {
    const notValid = [
      'invalid signature: no prefix',
      'supplied signature is invalid',
      'supplied signature contains extra data',
      'invalid base64 signature value',
      'ciphertext or signature version is disallowed by policy (too old)',
      'invalid HMAC: version is too new',
      'cannot verify HMAC: version is too old (disallowed by policy)',
    ];
    for (const message of notValid) {
      fault('verify/k', 400, { errors: [message] });
      expect([message, await transit.verify('k', SECRET, 'vault:v1:AAAA')]).toEqual([
        message,
        false,
      ]);
    }
    fault('verify/k', 400, { errors: ['signature verification key not found'] });
    expect(await rejected(transit.verify('k', SECRET, 'vault:v1:AAAA'))).toMatchObject({
      kind: 'key-not-found',
    });
  });

  it('bad arguments reject (never throw synchronously) with invalid-argument, naming the argument', async () => {
    const calls: [() => Promise<unknown>, RegExp][] = [
      [() => transit.encryptMany('bad name', []), /key name/],
      [() => transit.decryptMany('k', 'x' as never), /items must be an array/],
      [
        () => transit.rewrapMany('k', [42 as never]),
        /items\[0\]\.ciphertext must be a non-empty string/,
      ],
      [
        () => transit.encryptMany('k', [{ plaintext: SECRET, context: 7 as never }]),
        /context must be a string/,
      ],
      [() => transit.verify('k', SECRET, null as never), /signature must be a non-empty string/],
      [() => transit.hmac('k', { value: SECRET } as never), /data must be a string or a Buffer/],
    ];
    for (const [call, reason] of calls) {
      let promise: Promise<unknown> | undefined;
      expect(() => (promise = call())).not.toThrow();
      const error = await rejected(promise as Promise<unknown>);
      expect(error).toMatchObject({
        kind: 'invalid-argument',
        message: expect.stringMatching(reason),
      });
    }
  });

  it('prints as its mount only', () => {
    expect(inspect(transit)).toBe("TransitService { mount: 'transit' }");
    expect(JSON.stringify(transit.withMount('kms/transit'))).toBe('{"mount":"kms/transit"}');
    expect(() => transit.withMount('a/../b')).toThrow(TypeError);
  });
});
