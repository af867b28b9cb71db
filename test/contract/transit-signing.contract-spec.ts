/** Transit hmac / sign / verify, and a ciphertext or signature carried from one server to another. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { call, describeTargets } from '../support/contract-helpers.js';
import { selectedTargets, startTarget, type VaultTarget } from '../support/vault-target.js';
import {
  b64,
  body,
  createKey,
  encryptText,
  mountTransit,
  tamper,
} from '../support/transit-support.js';

const VERSIONED = (version: number) => new RegExp(`^vault:v${version}:[A-Za-z0-9+/]+=*$`);

describeTargets('transit hmac, sign, verify', kind => {
  let t: VaultTarget;
  let mount: string;
  beforeAll(async () => {
    t = await startTarget(kind);
    mount = await mountTransit(t);
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
  const valid = async (path: string, payload: Record<string, unknown>) => {
    const res = await post(path, payload);
    expect(res.status).toBe(200);
    return res.body.data.valid as boolean;
  };

  it('hmac: vault:v<N>:<base64>, sha2-256 by default, deterministic per version, verified by verify', async () => {
    await createKey(t, mount, 'mac');
    const input = b64('message');
    const mac = (await post('hmac/mac', { input })).body.data.hmac as string;
    expect(mac).toMatch(VERSIONED(1));
    expect(body(mac)).toHaveLength(32);
    expect((await post('hmac/mac', { input })).body.data.hmac).toBe(mac);
    expect(body((await post('hmac/mac/sha2-512', { input })).body.data.hmac)).toHaveLength(64);
    expect(
      body((await post('hmac/mac', { input, algorithm: 'sha2-384' })).body.data.hmac),
    ).toHaveLength(48);
    expect(await valid('verify/mac', { input, hmac: mac })).toBe(true);
    expect(await valid('verify/mac', { input: b64('other'), hmac: mac })).toBe(false);
    expect(await valid('verify/mac', { input, hmac: tamper(mac, 3) })).toBe(false);

    expect(await errorOf('hmac/mac', {})).toEqual([400, 'missing input for HMAC']);
    expect(await errorOf('hmac/mac', { input: '!!' })).toEqual([
      400,
      'unable to decode input as base64: illegal base64 data at input byte 0',
    ]);
    expect(await errorOf('hmac/nokey', { input })).toEqual([400, 'encryption key not found']);
    expect((await post('hmac/mac/md5', { input })).status).toBe(400);
    expect(await errorOf('verify/mac', { input, hmac: 'garbage' })).toEqual([
      400,
      'invalid HMAC to verify: no prefix',
    ]);
    const batch = await post('hmac/mac', { batch_input: [{ input }, { input: '!!' }] });
    expect(batch.status).toBe(200);
    expect(batch.body.data.batch_results).toEqual([
      { hmac: mac, reference: '' },
      {
        error: 'unable to decode input as base64: illegal base64 data at input byte 0',
        reference: '',
      },
    ]);

    await post('keys/mac/rotate', {});
    expect((await post('hmac/mac', { input })).body.data.hmac).toMatch(VERSIONED(2));
    expect(await valid('verify/mac', { input, hmac: mac })).toBe(true);
    await post('keys/mac/config', { min_decryption_version: 2 });
    expect(await errorOf('verify/mac', { input, hmac: mac })).toEqual([
      400,
      'cannot verify HMAC: version is too old (disallowed by policy)',
    ]);
  });

  it('sign and verify with ed25519, ecdsa-p256 and rsa-2048; a tampered signature is not valid', async () => {
    const input = b64('signed message');
    for (const type of ['ed25519', 'ecdsa-p256', 'rsa-2048']) {
      await createKey(t, mount, type, { type });
      const signed = await post(`sign/${type}`, { input });
      expect(signed.status).toBe(200);
      expect(signed.body.data).toEqual({
        signature: expect.stringMatching(VERSIONED(1)),
        key_version: 1,
      });
      const signature = signed.body.data.signature as string;
      expect(await valid(`verify/${type}`, { input, signature })).toBe(true);
      expect(await valid(`verify/${type}`, { input: b64('other message'), signature })).toBe(false);
      if (type !== 'ecdsa-p256') {
        // A changed bit inside a DER ECDSA signature may no longer parse; see the 400 below.
        expect(await valid(`verify/${type}`, { input, signature: tamper(signature) })).toBe(false);
      }
    }
    const ed = (await post('sign/ed25519', { input })).body.data.signature as string;
    expect(body(ed)).toHaveLength(64);
    expect((await post('sign/ed25519', { input })).body.data.signature).toBe(ed);
    expect(await valid('verify/ed25519', { input, signature: 'vault:v1:AAAA' })).toBe(false);
    expect(await errorOf('verify/ecdsa-p256', { input, signature: 'vault:v1:AAAA' })).toEqual([
      400,
      'supplied signature is invalid',
    ]);
    expect(
      await errorOf('verify/ecdsa-p256', { input, signature: 'vault:v1:MAYCAQECAQEA' }),
    ).toEqual([400, 'supplied signature contains extra data']);
    expect(await valid('verify/ecdsa-p256', { input, signature: 'vault:v1:MAYCAQECAQE=' })).toBe(
      false,
    );
    const pkcs1 = await post('sign/rsa-2048', { input, signature_algorithm: 'pkcs1v15' });
    const pkcs1Signature = pkcs1.body.data.signature as string;
    expect(
      await valid('verify/rsa-2048', {
        input,
        signature: pkcs1Signature,
        signature_algorithm: 'pkcs1v15',
      }),
    ).toBe(true);
    expect(await valid('verify/rsa-2048', { input, signature: pkcs1Signature })).toBe(false);

    await createKey(t, mount, 'aes');
    const errors: [string, Record<string, unknown>, string][] = [
      ['sign/aes', { input }, 'key type aes256-gcm96 does not support signing'],
      ['sign/nokey', { input }, 'signing key not found'],
      ['verify/nokey', { input, signature: ed }, 'signature verification key not found'],
      ['verify/ed25519', { input, signature: 'garbage' }, 'invalid signature: no prefix'],
      [
        'verify/ed25519',
        { input, signature: 'vault:v7:AAAA' },
        'invalid signature: version is too new',
      ],
      ['verify/ed25519', { input, signature: 'vault:v1:!!' }, 'invalid base64 signature value'],
      ['verify/ed25519', { input }, "neither a 'signature' nor an 'hmac' were given to verify"],
      ['sign/ecdsa-p256/sha2-999', { input }, 'invalid hash algorithm "sha2-999"'],
    ];
    for (const [path, payload, message] of errors) {
      expect([path, ...(await errorOf(path, payload))]).toEqual([path, 400, message]);
    }
    const batch = await post('sign/ed25519', { batch_input: [{ input }, { input: '!!' }] });
    expect(batch.status).toBe(200);
    expect(batch.body.data.batch_results[1]).toEqual({
      key_version: 0,
      error: 'unable to decode input as base64: illegal base64 data at input byte 0',
      reference: '',
    });
  });

  it('derived ed25519 keys sign per context and answer the derived public key', async () => {
    await createKey(t, mount, 'ed-derived', { type: 'ed25519', derived: true });
    const input = b64('per tenant');
    const context = b64('tenant-a');
    expect((await post('sign/ed-derived', { input })).status).toBe(500);
    const signed = await post('sign/ed-derived', { input, context });
    expect(signed.body.data).toEqual({
      key_version: 1,
      public_key: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      signature: expect.stringMatching(VERSIONED(1)),
    });
    const signature = signed.body.data.signature as string;
    expect(await valid('verify/ed-derived', { input, signature, context })).toBe(true);
    expect(await valid('verify/ed-derived', { input, signature, context: b64('tenant-b') })).toBe(
      false,
    );
  });
});

// Both servers at once: each has its own key material, and refuses the other's output as Vault does.
const both = ['memory', 'bao'].every(k => selectedTargets().includes(k as never));
(both ? describe : describe.skip)('transit across servers (memory and bao)', () => {
  const servers: VaultTarget[] = [];
  beforeAll(async () => {
    servers.push(await startTarget('memory'), await startTarget('bao'));
    for (const s of servers) {
      expect(
        (await call(s, 'POST', 'sys/mounts/transit', { body: { type: 'transit' } })).status,
      ).toBe(204);
      await createKey(s, 'transit', 'shared');
      await createKey(s, 'transit', 'signer', { type: 'ed25519' });
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map(s => s.stop()));
  });

  it("a ciphertext from one decrypts on its own server only; the other's key refuses it", async () => {
    for (const [from, to] of [servers, [...servers].reverse()] as [VaultTarget, VaultTarget][]) {
      const ciphertext = await encryptText(from, 'transit', 'shared', 'cross');
      const own = await call(from, 'POST', 'transit/decrypt/shared', { body: { ciphertext } });
      expect(own.body.data.plaintext).toBe(b64('cross'));
      const other = await call(to, 'POST', 'transit/decrypt/shared', { body: { ciphertext } });
      expect([from.kind, other.status, other.body]).toEqual([
        from.kind,
        400,
        { errors: ['cipher: message authentication failed'] },
      ]);
      const signature = (
        await call(from, 'POST', 'transit/sign/signer', { body: { input: b64('x') } })
      ).body.data.signature;
      const verified = await call(to, 'POST', 'transit/verify/signer', {
        body: { input: b64('x'), signature },
      });
      expect(verified.body.data.valid).toBe(false);
    }
  });
});
