/**
 * A token Vault no longer accepts (unknown, expired, revoked) is reported as such — where it came
 * from and what to do — at boot and in the CLI, not as a policy problem; a valid token that lacks a
 * capability still gets the permission error naming the path.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  loadVaultSecrets,
  VaultAuthError,
  VaultPermissionError,
  type VaultConfigOptions,
} from 'nestjs-vault-config';
import { canary, expectNoCanary } from '../support/canary.js';
import { cli, tempDir } from '../support/cli-support.js';
import { writeKv2 } from '../support/contract-helpers.js';
import { rootCall, tokenWithPolicy } from '../support/lifecycle-support.js';
import { renderError } from '../support/module-support.js';
import { selectedTargets, startTarget, type VaultTarget } from '../support/vault-target.js';

describe.each(selectedTargets())('a rejected token (%s)', kind => {
  let target: VaultTarget;
  let limited: string;
  const unknown = canary('unknown-token');
  const value = canary('rejected-value');
  const dir = tempDir();

  beforeAll(async () => {
    target = await startTarget(kind);
    await writeKv2(target, 'rejected/app', { REJECTED_VALUE: value });
    await writeKv2(target, 'rejected/other', { OTHER: value });
    limited = await tokenWithPolicy(
      target,
      'rejected-read',
      'path "secret/data/rejected/app" { capabilities = ["read"] }\n',
    );
  });
  afterAll(async () => {
    dir.cleanup();
    await target?.stop();
  });

  const options = (extra: Partial<VaultConfigOptions>): VaultConfigOptions => ({
    address: target.url,
    retry: { attempts: 1 },
    sources: [{ mount: 'secret', path: 'rejected/app', kv: 2 }],
    ...extra,
  });
  const rejection = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e,
    );

  it('at boot: an unknown token from VAULT_TOKEN is a VaultAuthError naming VAULT_TOKEN', async () => {
    const error = await rejection(loadVaultSecrets(options({}), { env: { VAULT_TOKEN: unknown } }));
    expect(error).toBeInstanceOf(VaultAuthError);
    expect((error as Error).message).toMatch(
      /token rejected: Vault does not accept the token in VAULT_TOKEN/,
    );
    expect((error as Error).message).toMatch(/invalid, expired or revoked/);
    expectNoCanary(renderError(error), [unknown, value]);
  });

  it('at boot: a revoked token given in auth.token is a VaultAuthError naming auth.token', async () => {
    const revoked = await tokenWithPolicy(
      target,
      'rejected-any',
      'path "secret/*" { capabilities = ["read"] }\n',
    );
    await rootCall(target, 'POST', 'auth/token/revoke', { token: revoked });
    const error = await rejection(
      loadVaultSecrets(options({ auth: { method: 'token', token: revoked } }), { env: {} }),
    );
    expect(error).toBeInstanceOf(VaultAuthError);
    expect((error as Error).message).toMatch(/the token given in auth\.token/);
    expectNoCanary(renderError(error), [revoked, value]);
  });

  it('a valid token that lacks the capability still gets the permission error', async () => {
    const error = await rejection(
      loadVaultSecrets(
        options({
          auth: { method: 'token', token: limited },
          sources: [{ mount: 'secret', path: 'rejected/other', kv: 2 }],
        }),
        { env: {} },
      ),
    );
    expect(error).toBeInstanceOf(VaultPermissionError);
    expect((error as Error).message).toMatch(/secret\/data\/rejected\/other/);
  });

  it('in the CLI: migrate with an unknown token says the token is rejected, exit 1', async () => {
    const env = { VAULT_ADDR: target.url, VAULT_TOKEN: unknown, HOME: dir.dir };
    const r = await cli(['rotate', '--path', 'rejected/app', '--key', 'REJECTED_VALUE'], {
      env,
      cwd: dir.dir,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/token rejected: Vault does not accept the token in VAULT_TOKEN/);
    expect(r.stderr).not.toMatch(/Grant it in the token's policy/);
    expectNoCanary([r.stdout, r.stderr], [unknown, value]);
  });
});
