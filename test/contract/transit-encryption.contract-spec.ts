/** Transit encrypt / decrypt / rewrap: ciphertext layout, errors, batch_input, derived keys, rotation. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { call, describeTargets } from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';
import {
  b64,
  body,
  createKey,
  encryptText,
  mountTransit,
  tamper,
} from '../support/transit-support.js';

const CIPHERTEXT = (version: number) => new RegExp(`^vault:v${version}:[A-Za-z0-9+/]+=*$`);

describeTargets('transit encryption', kind => {
  let t: VaultTarget;
  let mount: string;
  beforeAll(async () => {
    t = await startTarget(kind);
    mount = await mountTransit(t);
    await createKey(t, mount, 'k');
  });
  afterAll(async () => {
    await t?.stop();
  });
  const post = (path: string, payload: Record<string, unknown>) =>
    call(t, 'POST', `${mount}/${path}`, { body: payload });
  const errorOf = async (path: string, payload: Record<string, unknown>) => {
    const res = await post(path, payload);
    return [res.status, res.body?.errors?.[0]];
  };

  it('encrypt answers vault:v1:<nonce‖ciphertext‖tag>; decrypt the base64 plaintext', async () => {
    const enc = await post('encrypt/k', { plaintext: b64('hello') });
    expect(enc.status).toBe(200);
    expect(enc.body.data).toEqual({
      ciphertext: expect.stringMatching(CIPHERTEXT(1)),
      key_version: 1,
    });
    expect(body(enc.body.data.ciphertext)).toHaveLength(12 + 5 + 16);
    const dec = await post('decrypt/k', { ciphertext: enc.body.data.ciphertext });
    expect(dec.body.data).toEqual({ plaintext: b64('hello') });
    const again = await encryptText(t, mount, 'k', 'hello');
    expect(again).not.toBe(enc.body.data.ciphertext); // a fresh nonce each time

    const empty = await encryptText(t, mount, 'k', '');
    expect((await post('decrypt/k', { ciphertext: empty })).body.data).toEqual({ plaintext: '' });

    const chacha = await createKey(t, mount, 'chacha', { type: 'chacha20-poly1305' });
    expect(chacha.status).toBe(200);
    const c = await encryptText(t, mount, 'chacha', 'hello');
    expect((await post('decrypt/chacha', { ciphertext: c })).body.data.plaintext).toBe(
      b64('hello'),
    );
    expect(await errorOf('decrypt/chacha', { ciphertext: tamper(c) })).toEqual([
      400,
      'chacha20poly1305: message authentication failed',
    ]);

    // encrypt on a key that does not exist creates it (the root token has create).
    await encryptText(t, mount, 'upserted', 'x');
    expect((await call(t, 'GET', `${mount}/keys/upserted`)).body.data.derived).toBe(false);
  });

  it('refuses bad input and bad ciphertexts with Vault error messages', async () => {
    const good = await encryptText(t, mount, 'k', 'hello');
    const cases: [string, Record<string, unknown>, number, string][] = [
      ['encrypt/k', {}, 400, 'missing plaintext to encrypt'],
      ['encrypt/k', { plaintext: 'bad!' }, 400, 'illegal base64 data at input byte 3'],
      ['encrypt/k', { plaintext: 'aGVsbG8' }, 400, 'illegal base64 data at input byte 4'],
      ['decrypt/k', {}, 400, 'missing ciphertext to decrypt'],
      ['decrypt/k', { ciphertext: 'garbage' }, 400, 'invalid ciphertext: no prefix'],
      ['decrypt/k', { ciphertext: 'vault:v1' }, 400, 'invalid ciphertext: wrong number of fields'],
      [
        'decrypt/k',
        { ciphertext: 'vault:vx:AAAA' },
        400,
        'invalid ciphertext: version number could not be decoded',
      ],
      ['decrypt/k', { ciphertext: 'vault:v9:AAAA' }, 400, 'invalid ciphertext: version is too new'],
      [
        'decrypt/k',
        { ciphertext: 'vault:v1:!!!!' },
        400,
        'invalid ciphertext: could not decode base64',
      ],
      ['decrypt/k', { ciphertext: 'vault:v1:AAAA' }, 400, 'invalid ciphertext length'],
      ['decrypt/k', { ciphertext: tamper(good) }, 400, 'cipher: message authentication failed'],
      ['decrypt/nokey', { ciphertext: good }, 400, 'encryption key not found'],
      ['rewrap/nokey', { ciphertext: good }, 400, 'encryption key not found'],
      ['rewrap/k', {}, 400, 'missing ciphertext to decrypt'],
    ];
    for (const [path, payload, status, message] of cases) {
      expect([path, ...(await errorOf(path, payload))]).toEqual([path, status, message]);
    }
    await createKey(t, mount, 'signer', { type: 'ed25519' });
    expect(await errorOf('encrypt/signer', { plaintext: b64('x') })).toEqual([
      400,
      'message encryption not supported for key type ed25519',
    ]);
    expect(await errorOf('decrypt/signer', { ciphertext: good })).toEqual([
      400,
      'message decryption not supported for key type ed25519',
    ]);
    expect((await call(t, 'GET', `${mount}/encrypt/k`)).status).toBe(405);
  });

  it('batch_input: results in input order, references echoed, per-item errors as Vault reports them', async () => {
    const enc = await post('encrypt/k', {
      batch_input: [
        { plaintext: b64('first'), reference: 'r1' },
        { plaintext: 'bad!', reference: 'r2' },
        { plaintext: b64('third') },
      ],
    });
    expect(enc.status).toBe(400); // any failed item makes encrypt answer 400, with every result
    const [first, failed, third] = enc.body.data.batch_results;
    expect(first).toEqual({
      ciphertext: expect.stringMatching(CIPHERTEXT(1)),
      key_version: 1,
      reference: 'r1',
    });
    expect(failed).toEqual({ error: 'illegal base64 data at input byte 3', reference: 'r2' });
    expect(third).toMatchObject({ key_version: 1, reference: '' });

    const dec = await post('decrypt/k', {
      batch_input: [
        { ciphertext: third.ciphertext },
        { ciphertext: 'garbage' },
        { ciphertext: first.ciphertext },
      ],
    });
    expect(dec.status).toBe(400);
    expect(dec.body.data.batch_results).toEqual([
      { plaintext: b64('third'), reference: '' },
      { plaintext: '', error: 'invalid ciphertext: no prefix', reference: '' },
      { plaintext: b64('first'), reference: '' },
    ]);
    const allGood = await post('decrypt/k', { batch_input: [{ ciphertext: first.ciphertext }] });
    expect(allGood.status).toBe(200);

    // rewrap answers 200 even when an item failed.
    const rewrapped = await post('rewrap/k', {
      batch_input: [{ ciphertext: first.ciphertext }, { ciphertext: 'garbage' }],
    });
    expect(rewrapped.status).toBe(200);
    expect(rewrapped.body.data.batch_results).toEqual([
      { ciphertext: expect.stringMatching(CIPHERTEXT(1)), key_version: 1, reference: '' },
      { error: 'invalid ciphertext: no prefix', reference: '' },
    ]);

    expect(await errorOf('encrypt/k', { batch_input: [] })).toEqual([
      400,
      'missing batch input to process',
    ]);
    expect(await errorOf('decrypt/k', { batch_input: [] })).toEqual([
      400,
      'missing batch input to process',
    ]);
    expect((await post('encrypt/k', { batch_input: 'x' })).status).toBe(500);
    expect(
      await errorOf('encrypt/k', {
        batch_input: [{ plaintext: b64('a'), context: b64('c') }, { plaintext: b64('b') }],
      }),
    ).toEqual([400, 'context should be set either in all the request blocks or in none']);
  });

  it('derived keys: the context is required, another context fails, rewrap keeps the context', async () => {
    await createKey(t, mount, 'derived', { derived: true });
    const context = b64('customer:42');
    expect((await errorOf('encrypt/derived', { plaintext: b64('x') }))[1]).toMatch(
      /^missing 'context' for key derivation/,
    );
    const ct = await encryptText(t, mount, 'derived', 'row secret', { context });
    const dec = await post('decrypt/derived', { ciphertext: ct, context });
    expect(dec.body.data.plaintext).toBe(b64('row secret'));
    expect(
      await errorOf('decrypt/derived', { ciphertext: ct, context: b64('customer:43') }),
    ).toEqual([400, 'cipher: message authentication failed']);
    expect((await errorOf('decrypt/derived', { ciphertext: ct }))[1]).toMatch(/^missing 'context'/);
    expect((await errorOf('rewrap/derived', { ciphertext: ct }))[1]).toMatch(/^missing 'context'/);
    const rewrapped = await post('rewrap/derived', { ciphertext: ct, context });
    const back = await post('decrypt/derived', {
      ciphertext: rewrapped.body.data.ciphertext,
      context,
    });
    expect(back.body.data.plaintext).toBe(b64('row secret'));
    const batch = await post('decrypt/derived', {
      batch_input: [
        { ciphertext: ct, context },
        { ciphertext: ct, context: b64('other') },
      ],
    });
    expect(batch.status).toBe(400);
    expect(batch.body.data.batch_results[1].error).toBe('cipher: message authentication failed');
    expect(await errorOf('encrypt/derived', { plaintext: b64('x'), context: '!!' })).toEqual([
      400,
      'illegal base64 data at input byte 0',
    ]);
  });

  it('rotation: old ciphertexts still decrypt, rewrap moves them to v2, min_decryption_version refuses v1', async () => {
    await createKey(t, mount, 'rot');
    const v1 = await encryptText(t, mount, 'rot', 'rotate me');
    await post('keys/rot/rotate', {});
    const v2 = await encryptText(t, mount, 'rot', 'new');
    expect(v2).toMatch(CIPHERTEXT(2));
    expect((await post('decrypt/rot', { ciphertext: v1 })).body.data.plaintext).toBe(
      b64('rotate me'),
    );
    const rewrapped = await post('rewrap/rot', { ciphertext: v1 });
    expect(rewrapped.body.data).toEqual({
      ciphertext: expect.stringMatching(CIPHERTEXT(2)),
      key_version: 2,
    });
    await post('keys/rot/config', { min_decryption_version: 2 });
    const tooOld = 'ciphertext or signature version is disallowed by policy (too old)';
    expect(await errorOf('decrypt/rot', { ciphertext: v1 })).toEqual([400, tooOld]);
    expect(await errorOf('rewrap/rot', { ciphertext: v1 })).toEqual([400, tooOld]);
    const back = await post('decrypt/rot', { ciphertext: rewrapped.body.data.ciphertext });
    expect(back.body.data.plaintext).toBe(b64('rotate me'));
  });
});
