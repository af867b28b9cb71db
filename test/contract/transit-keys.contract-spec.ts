/** The transit engine's keys: create, read, list, rotate, config, delete, and its ACL. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import {
  call,
  createToken,
  describeTargets,
  PERMISSION_DENIED_BODY,
  putPolicy,
  uniq,
} from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';
import { b64, createKey, expectKeyInfoShape, mountTransit } from '../support/transit-support.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describeTargets('transit keys', kind => {
  let t: VaultTarget;
  let mount: string;
  beforeAll(async () => {
    t = await startTarget(kind);
    mount = await mountTransit(t);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('creates keys of each type; their info shows versions and public keys, never private material', async () => {
    const aes = await createKey(t, mount, 'aes');
    expectKeyInfoShape(aes.body.data);
    expect(aes.body.data).toMatchObject({
      name: 'aes',
      type: 'aes256-gcm96',
      derived: false,
      exportable: false,
      deletion_allowed: false,
      latest_version: 1,
      min_decryption_version: 1,
      min_encryption_version: 0,
      supports_encryption: true,
      supports_decryption: true,
      supports_derivation: true,
      supports_signing: false,
      keys: { '1': expect.any(Number) },
    });
    // Creating it again answers the same key, unchanged.
    const again = await call(t, 'POST', `${mount}/keys/aes`, { body: { type: 'ed25519' } });
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({ type: 'aes256-gcm96', latest_version: 1 });
    expect((await call(t, 'GET', `${mount}/keys/aes`)).body.data).toEqual(aes.body.data);

    const chacha = await createKey(t, mount, 'chacha', { type: 'chacha20-poly1305' });
    expect(chacha.body.data).toMatchObject({
      type: 'chacha20-poly1305',
      supports_encryption: true,
    });

    const signing: [string, string, string, RegExp][] = [
      ['ed', 'ed25519', 'ed25519', /^[A-Za-z0-9+/]{43}=$/],
      [
        'p256',
        'ecdsa-p256',
        'P-256',
        /^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/,
      ],
      [
        'rsa',
        'rsa-2048',
        'rsa-2048',
        /^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/,
      ],
    ];
    for (const [name, type, shownName, publicKey] of signing) {
      const res = await createKey(t, mount, name, { type });
      expectKeyInfoShape(res.body.data);
      expect(res.body.data).toMatchObject({
        type,
        supports_signing: true,
        supports_encryption: type === 'rsa-2048',
        keys: {
          '1': {
            certificate_chain: '',
            creation_time: expect.stringMatching(RFC3339),
            name: shownName,
            public_key: expect.stringMatching(publicKey),
          },
        },
      });
      expect(res.text).not.toMatch(/PRIVATE/);
    }

    const derived = await createKey(t, mount, 'derived', { derived: true });
    expectKeyInfoShape(derived.body.data, true);
    expect(derived.body.data).toMatchObject({
      derived: true,
      kdf: 'hkdf_sha256',
      convergent_encryption: false,
    });

    expect((await call(t, 'POST', `${mount}/keys/bad`, { body: { type: 'foo' } })).body).toEqual({
      errors: ['unknown key type foo'],
    });
    const notDerivable = await call(t, 'POST', `${mount}/keys/bad`, {
      body: { type: 'ecdsa-p256', derived: true },
    });
    expect(notDerivable.status).toBe(500);
    expect(notDerivable.body.errors[0]).toMatch(/not supported for keys of type ecdsa-p256/);
    const convergent = await call(t, 'POST', `${mount}/keys/bad`, {
      body: { convergent_encryption: true },
    });
    expect(convergent.body).toEqual({
      errors: ['convergent encryption requires derivation to be enabled'],
    });

    const missing = await call(t, 'GET', `${mount}/keys/nothere`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ errors: [] });
    const list = await call(t, 'LIST', `${mount}/keys`);
    expect(list.body.data.keys).toEqual(['aes', 'chacha', 'derived', 'ed', 'p256', 'rsa']);
    expect((await call(t, 'POST', `${mount}/keys/-bad`, { body: {} })).status).toBe(404);
  });

  it('rotate adds a version; min_decryption_version hides (archives) older ones and is validated', async () => {
    await createKey(t, mount, 'rot');
    expect((await call(t, 'POST', `${mount}/keys/rot/rotate`)).body.data.latest_version).toBe(2);
    const third = await call(t, 'POST', `${mount}/keys/rot/rotate`, { body: {} });
    expect(third.status).toBe(200);
    expect(Object.keys(third.body.data.keys)).toEqual(['1', '2', '3']);

    const raised = await call(t, 'POST', `${mount}/keys/rot/config`, {
      body: { min_decryption_version: 2 },
    });
    expect(raised.status).toBe(200);
    expect(raised.body.data).toMatchObject({ min_decryption_version: 2, latest_version: 3 });
    expect(Object.keys(raised.body.data.keys)).toEqual(['2', '3']);

    const bad: [unknown, string][] = [
      [5, 'cannot set min decryption version of 5, latest key version is 3'],
      [-1, 'min decryption version cannot be negative'],
    ];
    for (const [value, message] of bad) {
      const res = await call(t, 'POST', `${mount}/keys/rot/config`, {
        body: { min_decryption_version: value },
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: [message] });
    }
    const belowDecryption = await call(t, 'POST', `${mount}/keys/rot/config`, {
      body: { min_encryption_version: 1 },
    });
    expect(belowDecryption.body).toEqual({
      errors: [
        'cannot set min encryption/decryption values; min encryption version of 1 must be ' +
          'greater than or equal to min decryption version of 2',
      ],
    });
    // 0 means 1 (with a warning); the archived version 1 is usable again.
    const zero = await call(t, 'POST', `${mount}/keys/rot/config`, {
      body: { min_decryption_version: 0 },
    });
    expect(zero.status).toBe(200);
    expect(zero.body.warnings).toEqual([expect.stringContaining('forcing minimum to 1')]);
    expect(Object.keys(zero.body.data.keys)).toEqual(['1', '2', '3']);

    expect((await call(t, 'POST', `${mount}/keys/nothere/rotate`)).body).toEqual({
      errors: ['key not found'],
    });
    expect(
      (await call(t, 'POST', `${mount}/keys/nothere/config`, { body: { deletion_allowed: true } }))
        .body,
    ).toEqual({ errors: ['no existing key named nothere could be found'] });
  });

  it('deletes a key only once deletion_allowed is set', async () => {
    await createKey(t, mount, 'del');
    const refused = await call(t, 'DELETE', `${mount}/keys/del`);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      errors: ['error deleting policy del: deletion is not allowed for this key'],
    });
    const allowed = await call(t, 'POST', `${mount}/keys/del/config`, {
      body: { deletion_allowed: true },
    });
    expect(allowed.body.data.deletion_allowed).toBe(true);
    expect((await call(t, 'DELETE', `${mount}/keys/del`)).status).toBe(204);
    expect((await call(t, 'GET', `${mount}/keys/del`)).status).toBe(404);
    expect((await call(t, 'DELETE', `${mount}/keys/del`)).body).toEqual({
      errors: ['error deleting policy del: could not delete key; not found'],
    });
  });

  it('ACL: update on encrypt/<key> and decrypt/<key> only; encrypting a new key needs create', async () => {
    await createKey(t, mount, 'acl');
    const policy = uniq('transit-acl');
    await putPolicy(
      t,
      policy,
      `path "${mount}/encrypt/acl" { capabilities = ["update"] }\n` +
        `path "${mount}/decrypt/acl" { capabilities = ["update"] }\n` +
        `path "${mount}/encrypt/upd-only" { capabilities = ["update"] }\n` +
        `path "${mount}/encrypt/creatable" { capabilities = ["create"] }\n`,
    );
    const token = await createToken(t, { policies: [policy], ttl: '10m' });
    const plaintext = b64('acl test');
    const enc = await call(t, 'POST', `${mount}/encrypt/acl`, { token, body: { plaintext } });
    expect(enc.status).toBe(200);
    const ciphertext = enc.body.data.ciphertext as string;
    const dec = await call(t, 'POST', `${mount}/decrypt/acl`, { token, body: { ciphertext } });
    expect(dec.body.data.plaintext).toBe(plaintext);
    for (const path of ['rewrap/acl', 'hmac/acl', 'keys/acl/rotate', 'decrypt/other']) {
      const res = await call(t, 'POST', `${mount}/${path}`, { token, body: { ciphertext } });
      expect(res.status).toBe(403);
      expect(res.body).toEqual(PERMISSION_DENIED_BODY);
    }
    expect((await call(t, 'GET', `${mount}/keys/acl`, { token })).status).toBe(403);
    // encrypt on a key that does not exist is a create (it creates the key): update is not enough.
    const updOnly = await call(t, 'POST', `${mount}/encrypt/upd-only`, {
      token,
      body: { plaintext },
    });
    expect(updOnly.status).toBe(403);
    const created = await call(t, 'POST', `${mount}/encrypt/creatable`, {
      token,
      body: { plaintext, context: b64('row-1') },
    });
    expect(created.status).toBe(200);
    expect((await call(t, 'GET', `${mount}/keys/creatable`)).body.data).toMatchObject({
      type: 'aes256-gcm96',
      derived: true, // a context on the first encrypt makes the new key a derived one
    });
    // Now it exists: a second encrypt is an update, which this policy does not grant.
    const second = await call(t, 'POST', `${mount}/encrypt/creatable`, {
      token,
      body: { plaintext, context: b64('row-1') },
    });
    expect(second.status).toBe(403);
  });
});
