/** TransitService through a Nest app (VaultConfigModule + TransitService in providers), AppRole token. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  VaultTransitError,
  VaultTransitItemError,
  type TransitService,
} from 'nestjs-vault-config/transit';
import { canary, expectNoCanary } from '../support/canary.js';
import { writeKv2 } from '../support/contract-helpers.js';
import { rootCall } from '../support/lifecycle-support.js';
import { CapturingLogger, renderError } from '../support/module-support.js';
import {
  bootTransitApp,
  rejection,
  transitAppRole,
  transitPolicy,
  type TransitApp,
} from '../support/transit-app.js';
import { b64, tamper } from '../support/transit-support.js';
import { selectedTargets, startTarget, type VaultTarget } from '../support/vault-target.js';

const OPERATIONS = ['encrypt', 'decrypt', 'rewrap', 'hmac', 'sign', 'verify'];
const KEYS = ['orders', 'rows', 'signer', 'rot'];

describe.each(selectedTargets())('TransitService in a Nest app (%s)', kind => {
  let target: VaultTarget;
  let booted: TransitApp;
  let transit: TransitService;
  const logger = new CapturingLogger();
  /** Every plaintext, ciphertext and signature seen: none may reach a log line or an error. */
  const secrets: string[] = [];
  const rendered: string[] = [];
  const plain = (label: string) => {
    const value = canary(label);
    secrets.push(value, b64(value));
    return value;
  };
  const keep = <T extends string>(value: T): T => (secrets.push(value), value);
  const failure = async (promise: Promise<unknown>) => {
    const error = await rejection(promise);
    rendered.push(...renderError(error));
    return error;
  };

  beforeAll(async () => {
    target = await startTarget(kind);
    await rootCall(target, 'POST', 'sys/mounts/transit', { type: 'transit' });
    await rootCall(target, 'POST', 'transit/keys/orders', {});
    await rootCall(target, 'POST', 'transit/keys/rows', { derived: true });
    await rootCall(target, 'POST', 'transit/keys/signer', { type: 'ed25519' });
    await rootCall(target, 'POST', 'transit/keys/rot', {});
    await writeKv2(target, 'module-transit/app', { APP_NAME: 'transit-e2e' });
    const paths = KEYS.flatMap(k => OPERATIONS.map(op => `${op}/${k}`));
    await rootCall(target, 'POST', 'sys/mounts/kms/transit', { type: 'transit' });
    await rootCall(target, 'POST', 'kms/transit/keys/orders', {});
    const otherMount = ['encrypt', 'decrypt'].map(
      op => `path "kms/transit/${op}/orders" { capabilities = ["update"] }`,
    );
    const role = await transitAppRole(
      target,
      'transit-e2e',
      [transitPolicy(paths, 'module-transit/app'), ...otherMount].join('\n'),
    );
    secrets.push(role.secretId);
    booted = await bootTransitApp(
      {
        address: target.url,
        auth: { method: 'approle', roleId: role.roleId, secretId: role.secretId },
        sources: [{ mount: 'secret', path: 'module-transit/app' }],
      },
      logger,
    );
    transit = booted.transit;
  });
  afterAll(async () => {
    await booted?.app.close();
    await target?.stop();
  });

  it('encrypt → vault:v1:…, decrypt → the bytes; strings as UTF-8, Buffers as they are', async () => {
    const text = `${plain('enc')} é ✓`;
    const ciphertext = keep(await transit.encrypt('orders', text));
    expect(ciphertext).toMatch(/^vault:v1:[A-Za-z0-9+/]+=*$/);
    const decrypted = await transit.decrypt('orders', ciphertext);
    expect(Buffer.isBuffer(decrypted)).toBe(true);
    expect(decrypted.toString('utf8')).toBe(text);
    const bytes = Buffer.from([0, 255, 1, 254]);
    expect(await transit.decrypt('orders', keep(await transit.encrypt('orders', bytes)))).toEqual(
      bytes,
    );
    expect(
      (await transit.decrypt('orders', keep(await transit.encrypt('orders', '')))).length,
    ).toBe(0);
  });

  it('encryptMany / decryptMany: one request each, results in input order, per-item errors typed', async () => {
    const texts = [plain('b0'), plain('b1'), plain('b2')];
    const requests = () => target.memory?.stats().byRoute['POST /v1/transit/encrypt/orders'] ?? 0;
    const before = requests();
    const encrypted = await transit.encryptMany('orders', texts);
    if (target.memory) expect(requests() - before).toBe(1);
    expect(encrypted.map(r => r.ok)).toEqual([true, true, true]);
    const ciphertexts = encrypted.map(r => keep(r.ok ? r.value : ''));
    const decrypted = await transit.decryptMany('orders', [
      ciphertexts[2],
      tamper(ciphertexts[0]),
      ciphertexts[1],
    ]);
    expect(decrypted[0]).toEqual({ ok: true, value: Buffer.from(texts[2]) });
    expect(decrypted[2]).toEqual({ ok: true, value: Buffer.from(texts[1]) });
    const failed = decrypted[1];
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(failed.error).toBeInstanceOf(VaultTransitItemError);
    expect(failed.error).toMatchObject({ index: 1, kind: 'invalid-ciphertext', key: 'orders' });
    rendered.push(...renderError(failed.error));
    expect(await transit.encryptMany('orders', [])).toEqual([]);
    const rewrapped = await transit.rewrapMany('orders', ciphertexts);
    expect(rewrapped.every(r => r.ok)).toBe(true);
  });

  it('a derived key: the context picks the key; another or no context is a typed error', async () => {
    const secret = plain('row');
    const ciphertext = keep(await transit.encrypt('rows', secret, { context: 'customer:1' }));
    expect((await transit.decrypt('rows', ciphertext, { context: 'customer:1' })).toString()).toBe(
      secret,
    );
    const other = await failure(transit.decrypt('rows', ciphertext, { context: 'customer:2' }));
    expect(other).toBeInstanceOf(VaultTransitError);
    expect(other).toMatchObject({
      kind: 'invalid-ciphertext',
      path: 'transit/decrypt/rows',
      status: 400,
    });
    expect(await failure(transit.decrypt('rows', ciphertext))).toMatchObject({
      kind: 'context-required',
    });
    const perRow = await transit.encryptMany('rows', [
      { plaintext: plain('r1'), context: 'customer:1' },
      { plaintext: plain('r2'), context: Buffer.from('customer:2') },
    ]);
    const back = await transit.decryptMany(
      'rows',
      perRow.map((r, i) => ({
        ciphertext: keep(r.ok ? r.value : ''),
        context: `customer:${i + 1}`,
      })),
    );
    expect(back.every(r => r.ok)).toBe(true);
  });

  it('key rotation, then rewrap to v2; min_decryption_version then refuses v1 (version-not-allowed)', async () => {
    const secret = plain('rot');
    const v1 = keep(await transit.encrypt('rot', secret));
    await rootCall(target, 'POST', 'transit/keys/rot/rotate');
    const v2 = keep(await transit.rewrap('rot', v1));
    expect(v2).toMatch(/^vault:v2:/);
    expect((await transit.decrypt('rot', v2)).toString()).toBe(secret);
    await rootCall(target, 'POST', 'transit/keys/rot/config', { min_decryption_version: 2 });
    const refused = await failure(transit.decrypt('rot', v1));
    expect(refused).toMatchObject({ kind: 'version-not-allowed', operation: 'decrypt' });
    expect((await transit.decrypt('rot', v2)).toString()).toBe(secret);
  });

  it('hmac and verifyHmac; sign and verify; a tampered signature or other data → false', async () => {
    const data = plain('signed');
    const mac = keep(await transit.hmac('orders', data));
    expect(mac).toMatch(/^vault:v1:/);
    expect(await transit.hmac('orders', data)).toBe(mac);
    expect(await transit.verifyHmac('orders', data, mac)).toBe(true);
    expect(await transit.verifyHmac('orders', `${data}!`, mac)).toBe(false);
    expect(await transit.hmac('orders', data, { algorithm: 'sha2-512' })).not.toBe(mac);

    const signature = keep(await transit.sign('signer', data));
    expect(signature).toMatch(/^vault:v1:/);
    expect(await transit.verify('signer', data, signature)).toBe(true);
    expect(await transit.verify('signer', `${data}!`, signature)).toBe(false);
    expect(await transit.verify('signer', data, tamper(signature))).toBe(false);
    expect(await transit.verify('signer', data, 'not a signature')).toBe(false);
    expect(await transit.verify('signer', data, '')).toBe(false);
    expect(await failure(transit.sign('orders', data))).toMatchObject({
      kind: 'unsupported-by-key',
    });
  });

  it('withMount: the same service on another transit mount, with its own keys', async () => {
    const kms = transit.withMount('kms/transit');
    expect(kms.mount).toBe('kms/transit');
    const secret = plain('kms');
    const ciphertext = keep(await kms.encrypt('orders', secret));
    expect((await kms.decrypt('orders', ciphertext)).toString()).toBe(secret);
    // The default mount's key of the same name is another key.
    expect(await failure(transit.decrypt('orders', ciphertext))).toMatchObject({
      kind: 'invalid-ciphertext',
      mount: 'transit',
    });
  });

  it('a tampered ciphertext is a VaultTransitError (invalid-ciphertext) naming the key, not the data', async () => {
    const ciphertext = keep(await transit.encrypt('orders', plain('tamper')));
    const error = await failure(transit.decrypt('orders', tamper(ciphertext)));
    expect(error).toBeInstanceOf(VaultTransitError);
    expect(error).toMatchObject({ kind: 'invalid-ciphertext', key: 'orders', mount: 'transit' });
    expect((error as Error).message).toMatch(
      /Transit decrypt with key "orders" on mount "transit"/,
    );
    expect(await failure(transit.decrypt('orders', 'garbage'))).toMatchObject({
      kind: 'invalid-ciphertext',
    });
  });

  // Runs last: every error rendered and every line logged by the tests above.
  it('no plaintext, ciphertext, signature or credential in any log line or error', () => {
    expect(rendered.length).toBeGreaterThan(0);
    expectNoCanary([...logger.lines, ...rendered], secrets);
  });
});
