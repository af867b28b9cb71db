/**
 * VaultConfigModule with an AppRole secret ID delivered response-wrapped, against the test server
 * and OpenBao: the module unwraps it once, logs in, renews, and after the max TTL logs in again
 * with the secret ID it kept (no second unwrap). The same wrapping token used again fails with the
 * interception error. No wrapping token, secret ID, secret or token is ever printed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretsService, VaultAuthError } from 'nestjs-vault-config';
import { canary } from '../support/canary.js';
import { writeKv2 } from '../support/contract-helpers.js';
import { rootCall } from '../support/lifecycle-support.js';
import { LoginSuite, readPolicyHcl } from '../support/login-e2e.js';
import {
  selectedTargets,
  startTarget,
  vaultRequest,
  type VaultTarget,
} from '../support/vault-target.js';

describe.each(selectedTargets())('AppRole with a wrapped secret ID (%s)', kind => {
  let target: VaultTarget;
  let roleId: string;
  const secret = canary('wrapped-secret');
  const planted: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'approle-wrapped-'));
  const secretIdFile = join(dir, 'wrapped-secret-id');
  const suite = new LoginSuite(() => ({
    address: target.url,
    auth: { method: 'approle', roleId, secretIdFile, secretIdWrapped: true, roleName: 'wrapped' },
    sources: [{ mount: 'secret', path: 'login-wrapped/app' }],
    healthCacheMs: 100,
  }));

  /**
   * What a deploy pipeline does: a secret ID issued with -wrap-ttl, handed over as a file. A
   * generated one (a wrapped custom secret ID is refused: anyone could have made it), so the test
   * cannot know its value; the wrapping token is what it looks for in the output.
   */
  const deliverWrappedSecretId = async () => {
    const res = await vaultRequest(
      target,
      'POST',
      'auth/approle/role/wrapped/secret-id',
      {},
      { 'X-Vault-Wrap-TTL': '5m' },
    );
    const token = (res.body as { wrap_info: { token: string } }).wrap_info.token;
    planted.push(token);
    writeFileSync(secretIdFile, `${token}\n`, { mode: 0o600 });
    return token;
  };

  beforeAll(async () => {
    target = await startTarget(kind);
    await writeKv2(target, 'login-wrapped/app', { WRAPPED_APP_SECRET: secret });
    await rootCall(target, 'PUT', 'sys/policies/acl/login-wrapped', {
      policy: readPolicyHcl('login-wrapped'),
    });
    await rootCall(target, 'POST', 'sys/auth/approle', { type: 'approle' });
    await rootCall(target, 'POST', 'auth/approle/role/wrapped', {
      token_policies: ['login-wrapped'],
      token_ttl: '4s',
      token_max_ttl: '6s',
    });
    roleId = String(
      (await rootCall(target, 'GET', 'auth/approle/role/wrapped/role-id'))?.data?.role_id,
    );
  });
  afterAll(async () => {
    await suite.finish([secret, roleId, ...planted], async () => {
      rmSync(dir, { recursive: true, force: true });
      await target?.stop();
    });
  });

  it('unwraps once, logs in, renews, and logs in again after the max TTL without unwrapping', async () => {
    const wrappingToken = await deliverWrappedSecretId();
    target.memory?.resetStats();
    const app = await suite.boot({});
    expect(app.get(SecretsService).get('WRAPPED_APP_SECRET')).toBe(secret);
    expect((await suite.health(app)).status).toBe(200);
    await suite.expectRenewalThenRelogin(app, 'approle', 'WRAPPED_APP_SECRET', secret);
    // The wrapping token is used up: nobody else can unwrap the secret ID now.
    const late = await vaultRequest(target, 'POST', 'sys/wrapping/lookup', {
      token: wrappingToken,
    });
    expect(late.status).toBe(400);
    const byRoute = target.memory?.stats().byRoute;
    if (byRoute) {
      expect(byRoute['POST /v1/sys/wrapping/unwrap']).toBe(1);
      expect(byRoute['POST /v1/auth/approle/login']).toBeGreaterThanOrEqual(2);
    }
  });

  it('the same wrapping token used twice: a VaultAuthError saying it may have been intercepted', async () => {
    await deliverWrappedSecretId();
    const first = await suite.boot({});
    expect(first.get(SecretsService).get('WRAPPED_APP_SECRET')).toBe(secret);
    const error = await suite.bootFailure({}); // the same file, already unwrapped by the first app
    expect(error).toBeInstanceOf(VaultAuthError);
    expect(error.message).toBe(
      'Vault approle authentication failed: the wrapping token of the secret ID was already used ' +
        'or has expired. If it had not expired, someone else unwrapped it first: the secret ID may ' +
        'have been intercepted. Issue a new wrapped secret ID, deliver it again, and find out who ' +
        'unwrapped the old one (wrapping token is not valid or does not exist).',
    );
  });
});
