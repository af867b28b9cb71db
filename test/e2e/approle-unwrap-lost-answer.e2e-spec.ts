/**
 * An unwrap whose answer a proxy lost (issue 21, item 10): the test server unwraps (the wrapping
 * token is used up), then answers 502/504 as a proxy would. The library must not send the unwrap
 * again (it would find the token used and cry interception) and must say the answer was lost,
 * not that someone else unwrapped it. A login with a one-time secret ID is not re-sent either.
 * Memory target: only the test server can act and then lose its answer.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { loadVaultSecrets, VaultAuthError, type VaultConfigOptions } from 'nestjs-vault-config';
import { canary } from '../support/canary.js';
import { writeKv2 } from '../support/contract-helpers.js';
import { rootCall } from '../support/lifecycle-support.js';
import { startTarget, vaultRequest, type VaultTarget } from '../support/vault-target.js';

describe('AppRole: an unwrap or login answer lost after Vault acted (memory)', () => {
  let target: VaultTarget;
  let roleId: string;
  const secret = canary('lost-answer-secret');
  const outputs: string[] = [];
  const planted: string[] = [];

  beforeAll(async () => {
    target = await startTarget('memory');
    await writeKv2(target, 'lost-answer/app', { LOST_ANSWER_SECRET: secret });
    await rootCall(target, 'PUT', 'sys/policies/acl/lost-answer', {
      policy: 'path "secret/data/lost-answer/*" { capabilities = ["read"] }',
    });
    await rootCall(target, 'POST', 'sys/auth/approle', { type: 'approle' });
    await rootCall(target, 'POST', 'auth/approle/role/lost', {
      token_policies: ['lost-answer'],
      secret_id_num_uses: 2,
    });
    roleId = String(
      (await rootCall(target, 'GET', 'auth/approle/role/lost/role-id'))?.data?.role_id,
    );
  });
  afterEach(() => target.memory?.faults.clear());
  afterAll(async () => {
    for (const text of outputs) for (const c of [secret, ...planted]) expect(text).not.toContain(c);
    await target?.stop();
  });

  const wrappedSecretId = async (): Promise<string> => {
    const res = await vaultRequest(
      target,
      'POST',
      'auth/approle/role/lost/secret-id',
      {},
      {
        'X-Vault-Wrap-TTL': '5m',
      },
    );
    const token = (res.body as { wrap_info: { token: string } }).wrap_info.token;
    planted.push(token);
    return token;
  };
  const options = (secretId: string, wrapped: boolean): VaultConfigOptions => ({
    address: target.url,
    auth: wrapped
      ? { method: 'approle', roleId, secretId, secretIdWrapped: true, roleName: 'lost' }
      : { method: 'approle', roleId, secretId },
    sources: [{ mount: 'secret', path: 'lost-answer/app' }],
    retry: { attempts: 3, minDelayMs: 1, maxDelayMs: 5 },
  });
  const failure = async (opts: VaultConfigOptions): Promise<VaultAuthError> => {
    const error = await loadVaultSecrets(opts, { env: {} }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VaultAuthError);
    const e = error as VaultAuthError;
    outputs.push(e.message, String(e.stack), inspect(e), JSON.stringify(e));
    return e;
  };

  it.each([502, 504])(
    'the unwrap answered %i after acting: sent once, reported as a lost answer',
    async status => {
      const token = await wrappedSecretId();
      target.memory?.resetStats();
      target.memory?.faults.inject({
        path: '/v1/sys/wrapping/unwrap',
        status,
        afterHandling: true,
        times: 1,
      });
      const error = await failure(options(token, true));
      expect(error.status).toBe(status);
      expect(error.message).toContain(`the answer of sys/wrapping/unwrap was lost (${status}`);
      expect(error.message).toContain('not a sign of interception');
      expect(error.message).not.toMatch(/intercepted|someone else/);
      expect(target.memory?.stats().byRoute['POST /v1/sys/wrapping/unwrap']).toBe(1);
      // Vault did act: the wrapping token is used up.
      const lookup = await vaultRequest(target, 'POST', 'sys/wrapping/lookup', { token });
      expect(lookup.status).toBe(400);
    },
  );

  it('a login with a secret ID answered 502 after acting is not sent again', async () => {
    const issued = await rootCall(target, 'POST', 'auth/approle/role/lost/secret-id', {});
    const secretId = String(issued?.data?.secret_id);
    planted.push(secretId);
    target.memory?.resetStats();
    target.memory?.faults.inject({
      path: '/v1/auth/approle/login',
      status: 502,
      afterHandling: true,
      times: 1,
    });
    await failure(options(secretId, false));
    expect(target.memory?.stats().byRoute['POST /v1/auth/approle/login']).toBe(1);
  });

  it('a sealed 503 (Vault acted on nothing) is still retried for the unwrap', async () => {
    const token = await wrappedSecretId();
    target.memory?.resetStats();
    target.memory?.faults.inject({ path: '/v1/sys/wrapping/unwrap', status: 503, times: 1 });
    const snapshot = await loadVaultSecrets(options(token, true), { env: {} });
    expect(snapshot.get('LOST_ANSWER_SECRET')).toBe(secret);
    expect(target.memory?.stats().byRoute['POST /v1/sys/wrapping/unwrap']).toBe(2);
    outputs.push(inspect(snapshot), JSON.stringify(snapshot));
  });
});
