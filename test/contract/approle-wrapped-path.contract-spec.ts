/**
 * Where a wrapped secret ID may come from (issue 21, item 2), against the test server and OpenBao
 * (real response wrapping). Someone who intercepted the app's secret ID can wrap it again as a
 * custom secret ID of their own role, or through sys/wrapping/wrap, and hand it on: the app must
 * refuse it before unwrapping. Only `auth/<mount>/role/<role>/secret-id` is accepted, and with
 * `roleName` only that role's. The refusal names the path it saw, never the secret.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { loadVaultSecrets, VaultAuthError, type VaultConfigOptions } from 'nestjs-vault-config';
import { canary } from '../support/canary.js';
import {
  call,
  describeTargets,
  enableAuth,
  kv2Write,
  putPolicy,
  uniq,
} from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

describeTargets('wrapped AppRole secret IDs: the creation path', kind => {
  let t: VaultTarget;
  let app: string;
  let other: string;
  let roleId: string;
  const secret = canary('wrapped-path-secret');
  const outputs: string[] = [];
  const planted: string[] = [];

  beforeAll(async () => {
    t = await startTarget(kind);
    await enableAuth(t, 'approle', 'approle');
    await kv2Write(t, 'secret', 'wrapped-path/app', { WRAPPED_PATH_SECRET: secret });
    await putPolicy(
      t,
      'wrapped-path',
      'path "secret/data/wrapped-path/*" { capabilities = ["read"] }',
    );
    app = uniq('app');
    other = uniq('other');
    for (const role of [app, other]) {
      await call(t, 'POST', `auth/approle/role/${role}`, {
        body: { token_policies: ['wrapped-path'] },
      });
    }
    const res = await call(t, 'GET', `auth/approle/role/${app}/role-id`);
    roleId = String(res.body.data.role_id);
  });
  afterAll(async () => {
    for (const text of outputs) for (const c of [secret, ...planted]) expect(text).not.toContain(c);
    await t?.stop();
  });

  const wrap = async (path: string, body: Record<string, unknown>): Promise<string> => {
    const res = await call(t, 'POST', path, { body, headers: { 'X-Vault-Wrap-TTL': '5m' } });
    expect(res.status).toBe(200);
    const token = String(res.body.wrap_info.token);
    planted.push(token);
    return token;
  };
  const options = (wrappingToken: string, roleName?: string): VaultConfigOptions => ({
    address: t.url,
    auth: {
      method: 'approle',
      roleId,
      secretId: wrappingToken,
      secretIdWrapped: true,
      ...(roleName !== undefined ? { roleName } : {}),
    },
    sources: [{ mount: 'secret', path: 'wrapped-path/app' }],
    retry: { attempts: 1 },
  });
  const refusal = async (opts: VaultConfigOptions): Promise<VaultAuthError> => {
    const error = await loadVaultSecrets(opts, { env: {} }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VaultAuthError);
    const e = error as VaultAuthError;
    outputs.push(e.message, String(e.stack), inspect(e), JSON.stringify(e));
    return e;
  };
  const stillWrapped = async (token: string) => {
    const lookup = await call(t, 'POST', 'sys/wrapping/lookup', { token: null, body: { token } });
    expect(lookup.status).toBe(200); // refused before the unwrap: the token was not used up
  };

  it('a custom secret ID of the app role, wrapped: refused, not unwrapped', async () => {
    const stolen = canary('custom-sid');
    planted.push(stolen);
    const token = await wrap(`auth/approle/role/${app}/custom-secret-id`, { secret_id: stolen });
    const error = await refusal(options(token));
    expect(error.message).toContain(
      `the wrapping token was created by auth/approle/role/${app}/custom-secret-id, not by ` +
        'auth/approle/role/<role>/secret-id',
    );
    await stillWrapped(token);
  });

  it('a secret ID wrapped through sys/wrapping/wrap: refused', async () => {
    const stolen = canary('rewrapped-sid');
    planted.push(stolen);
    const token = await wrap('sys/wrapping/wrap', { secret_id: stolen });
    const error = await refusal(options(token, app));
    expect(error.message).toContain('the wrapping token was created by sys/wrapping/wrap');
    await stillWrapped(token);
  });

  it("with roleName: another role's generated secret ID is refused, naming both roles", async () => {
    const token = await wrap(`auth/approle/role/${other}/secret-id`, {});
    const error = await refusal(options(token, app));
    expect(error.message).toContain(
      `the wrapping token was created by auth/approle/role/${other}/secret-id, not by ` +
        `auth/approle/role/${app}/secret-id`,
    );
    await stillWrapped(token);
  });

  it("with roleName: the role's own generated secret ID is unwrapped and logs in", async () => {
    const token = await wrap(`auth/approle/role/${app}/secret-id`, {});
    const snapshot = await loadVaultSecrets(options(token, app.toUpperCase()), { env: {} });
    expect(snapshot.get('WRAPPED_PATH_SECRET')).toBe(secret);
    outputs.push(inspect(snapshot), JSON.stringify(snapshot));
  });
});
