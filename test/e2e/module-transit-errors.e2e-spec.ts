/** TransitService's failures through a Nest app: 403, missing key, no Vault connection, a revoked token. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SecretsService, VaultPermissionError } from 'nestjs-vault-config';
import {
  VaultNotConnectedError,
  VaultTransitError,
  VaultTransitKeyNotFoundError,
} from 'nestjs-vault-config/transit';
import { canary, expectNoCanary } from '../support/canary.js';
import { writeKv2 } from '../support/contract-helpers.js';
import { revokeTokensWithPolicy, rootCall } from '../support/lifecycle-support.js';
import { CapturingLogger, renderError } from '../support/module-support.js';
import {
  bootTransitApp,
  rejection,
  transitAppRole,
  transitPolicy,
  type TransitApp,
} from '../support/transit-app.js';
import { b64 } from '../support/transit-support.js';
import {
  freePort,
  selectedTargets,
  startTarget,
  type VaultTarget,
} from '../support/vault-target.js';

describe.each(selectedTargets())('TransitService failures (%s)', kind => {
  let target: VaultTarget;
  let booted: TransitApp;
  let policy: string;
  const logger = new CapturingLogger();
  const secret = canary('transit-err');
  const secrets = [secret, b64(secret)];
  const rendered: string[] = [];
  const failure = async (promise: Promise<unknown>) => {
    const error = await rejection(promise);
    rendered.push(...renderError(error));
    return error;
  };

  beforeAll(async () => {
    target = await startTarget(kind);
    await rootCall(target, 'POST', 'sys/mounts/transit', { type: 'transit' });
    await rootCall(target, 'POST', 'transit/keys/allowed', {});
    await rootCall(target, 'POST', 'transit/keys/forbidden', {});
    await writeKv2(target, 'module-transit-errors/app', { APP_NAME: 'transit-errors' });
    const role = await transitAppRole(
      target,
      'transit-errors',
      transitPolicy(
        ['encrypt/allowed', 'decrypt/allowed', 'decrypt/missing', 'encrypt/forbidden'],
        'module-transit-errors/app',
      ),
    );
    policy = role.policy;
    secrets.push(role.secretId);
    booted = await bootTransitApp(
      {
        address: target.url,
        auth: { method: 'approle', roleId: role.roleId, secretId: role.secretId },
        sources: [{ mount: 'secret', path: 'module-transit-errors/app' }],
      },
      logger,
    );
  });
  afterAll(async () => {
    await booted?.app.close();
    await target?.stop();
  });

  it('403 with a least-privilege token: VaultPermissionError naming transit/<operation>/<key>', async () => {
    const { transit } = booted;
    const ciphertext = await transit.encrypt('forbidden', secret);
    secrets.push(ciphertext);
    const denied = await failure(transit.decrypt('forbidden', ciphertext));
    expect(denied).toBeInstanceOf(VaultPermissionError);
    expect(denied).toMatchObject({ paths: ['transit/decrypt/forbidden'], capability: 'update' });
    expect((denied as Error).message).toContain('"transit/decrypt/forbidden"');
    // encrypt on a key that does not exist would create it: that needs `create`.
    const create = await failure(transit.encrypt('brand-new', secret));
    expect(create).toMatchObject({
      paths: ['transit/encrypt/brand-new'],
      capability: 'create/update',
    });
    expect(await failure(transit.sign('allowed', secret))).toBeInstanceOf(VaultPermissionError);
  });

  it('a missing key (Vault 400): VaultTransitKeyNotFoundError naming the key and mount', async () => {
    const error = await failure(booted.transit.decrypt('missing', 'vault:v1:AAAA'));
    expect(error).toBeInstanceOf(VaultTransitKeyNotFoundError);
    expect(error).toBeInstanceOf(VaultTransitError);
    expect(error).toMatchObject({
      kind: 'key-not-found',
      key: 'missing',
      mount: 'transit',
      status: 400,
    });
    expect((error as Error).message).toMatch(
      /no key "missing".*vault write -f transit\/keys\/missing/,
    );
  });

  it('bad arguments are refused before anything is sent, naming the argument, not the value', async () => {
    const { transit } = booted;
    const sent = () => target.memory?.stats().total ?? 0;
    const before = sent();
    const badKey = await failure(transit.encrypt('../sys/seal', secret));
    expect(badKey).toMatchObject({ kind: 'invalid-argument', operation: 'encrypt' });
    const badData = await failure(transit.encrypt('allowed', 42 as unknown as string));
    expect((badData as Error).message).toMatch(/plaintext must be a string or a Buffer/);
    expect(() => transit.withMount('')).toThrow(TypeError);
    expect(sent()).toBe(before);
    const elsewhere = await failure(transit.withMount('no-such-mount').encrypt('allowed', secret));
    expect(elsewhere).toBeInstanceOf(VaultPermissionError); // the policy has nothing there
  });

  it('after the token is revoked, the next request logs in again (AppRole) and succeeds', async () => {
    expect(await revokeTokensWithPolicy(target, policy)).toBeGreaterThanOrEqual(1);
    const ciphertext = await booted.transit.encrypt('allowed', secret);
    secrets.push(ciphertext);
    expect((await booted.transit.decrypt('allowed', ciphertext)).toString()).toBe(secret);
  });

  it('Vault disabled, booted in fallback mode, or shut down: VaultNotConnectedError', async () => {
    const disabled = await bootTransitApp({ enabled: false, defaults: { APP_NAME: 'x' } }, logger);
    const fallback = await bootTransitApp(
      {
        address: `http://127.0.0.1:${await freePort()}`,
        auth: { method: 'token', token: 'unused' },
        sources: [{ mount: 'secret', path: 'module-transit-errors/app' }],
        onUnavailable: 'fallback',
        retry: { attempts: 1 },
        defaults: { APP_NAME: 'x' },
      },
      logger,
    );
    try {
      const off = await failure(disabled.transit.encrypt('allowed', secret));
      expect(off).toBeInstanceOf(VaultNotConnectedError);
      expect(off).toMatchObject({ reason: 'disabled', path: 'transit/encrypt/allowed' });
      const down = await failure(fallback.transit.decrypt('allowed', 'vault:v1:AAAA'));
      expect(down).toMatchObject({ reason: 'fallback' });
      expect((down as Error).message).toMatch(/once a refresh reaches Vault/);
    } finally {
      await disabled.app.close();
      await fallback.app.close();
    }
    const closed = await bootTransitApp({ enabled: false, defaults: { APP_NAME: 'x' } }, logger);
    await closed.app.close();
    expect(await failure(closed.transit.hmac('allowed', secret))).toMatchObject({
      reason: 'closed',
    });
  });

  const memoryOnly = kind === 'memory' ? it : it.skip;
  memoryOnly('booted in fallback mode: transit works once a refresh reaches Vault', async () => {
    const { VaultTestServer } = await import('nestjs-vault-config-testing');
    const port = await freePort();
    const fallback = await bootTransitApp(
      {
        address: `http://127.0.0.1:${port}`,
        auth: { method: 'token', token: 'root' },
        sources: [{ mount: 'secret', path: 'later/app' }],
        onUnavailable: 'fallback',
        retry: { attempts: 1 },
        defaults: { APP_NAME: 'x' },
      },
      logger,
    );
    const late = await VaultTestServer.start({ rootToken: 'root', port });
    try {
      expect(await failure(fallback.transit.encrypt('late', secret))).toMatchObject({
        reason: 'fallback',
      });
      const admin = { url: late.url, rootToken: 'root' };
      await rootCall(admin as VaultTarget, 'POST', 'sys/mounts/transit', { type: 'transit' });
      await writeKv2(admin as VaultTarget, 'later/app', { APP_NAME: 'now from vault' });
      await fallback.app.get(SecretsService).refresh();
      const ciphertext = await fallback.transit.encrypt('late', secret);
      secrets.push(ciphertext);
      expect((await fallback.transit.decrypt('late', ciphertext)).toString()).toBe(secret);
    } finally {
      await fallback.app.close();
      await late.stop();
    }
  });

  // Runs last: every error rendered and every line logged by the tests above.
  it('no plaintext, ciphertext, signature or credential in any log line or error', () => {
    expect(rendered.length).toBeGreaterThan(0);
    expectNoCanary([...logger.lines, ...rendered], secrets);
  });
});
