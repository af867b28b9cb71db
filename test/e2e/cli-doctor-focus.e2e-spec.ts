/**
 * `vault-config doctor` judges a sound set-up as sound: a renewable token the module will renew, a
 * read-only app token (`--for-app`, and the default wording), write access only with `--for-cli`;
 * and no token it logged in for outlives it.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createToken, describeTargets, putPolicy, writeKv2 } from '../support/contract-helpers.js';
import { canary } from '../support/canary.js';
import { cli, plantedInCliOutput, tempDir, uniquePath } from '../support/cli-support.js';
import { startTarget, vaultRequest, type VaultTarget } from '../support/vault-target.js';

const { canaries, tokens } = plantedInCliOutput();

interface Check {
  check: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix: string;
}
interface Report {
  ok: boolean;
  checks: Check[];
}
const byName = (report: Report) => Object.fromEntries(report.checks.map(c => [c.check, c]));

describeTargets('vault-config doctor: what the app and the CLI need', kind => {
  let target: VaultTarget;
  let cwd: string;
  let cleanup: () => void;
  let path: string;
  const policy = 'cli-doctor-focus-read';

  const doctor = async (token: string, flags: string[] = []) => {
    const r = await cli(['doctor', '--path', path, '--json', ...flags], {
      env: { VAULT_ADDR: target.url, VAULT_TOKEN: token },
      cwd,
    });
    return { code: r.code, report: JSON.parse(r.stdout) as Report };
  };
  const appToken = async (body: Record<string, unknown>) => {
    const token = await createToken(target, { policies: [policy], ...body });
    tokens.push(token);
    return token;
  };
  const accessors = async (): Promise<string[]> => {
    const res = await vaultRequest(target, 'LIST', 'auth/token/accessors');
    return ((res.body as { data: { keys: string[] } }).data.keys ?? []).slice().sort();
  };

  beforeAll(async () => {
    target = await startTarget(kind);
    ({ dir: cwd, cleanup } = tempDir());
    path = uniquePath('focus');
    const value = canary('doctor-focus');
    canaries.push(value);
    await writeKv2(target, path, { API_KEY: value });
    await putPolicy(target, policy, `path "secret/data/${path}" { capabilities = ["read"] }\n`);
  });
  afterAll(async () => {
    cleanup?.();
    await target?.stop();
  });

  it('a renewable 1 h read-only token is ok; write access is judged only with --for-cli', async () => {
    const token = await appToken({ ttl: '1h' });
    const plain = await doctor(token);
    expect(plain.code).toBe(0);
    expect(plain.report.checks.filter(c => c.status !== 'ok')).toEqual([]);
    const checks = byName(plain.report);
    expect(checks['token ttl'].detail).toMatch(/^expires in (59m\d+s|1h0m), renewable$/);
    expect(checks[`write secret/${path}`]).toEqual({
      check: `write secret/${path}`,
      status: 'ok',
      detail: 'read-only, all the app needs (--for-cli checks what migrate and rotate need)',
      fix: '-',
    });

    const forApp = await doctor(token, ['--for-app']);
    expect(forApp.code).toBe(0);
    expect(forApp.report.checks.map(c => [c.check, c.status])).toEqual([
      ['address', 'ok'],
      ['tls', 'ok'],
      ['auth', 'ok'],
      ['token ttl', 'ok'],
      [`read secret/${path}`, 'ok'],
      ['policy', 'ok'],
    ]);

    const forCli = await doctor(token, ['--for-cli']);
    expect(forCli.code).toBe(0);
    expect(byName(forCli.report)[`write secret/${path}`]).toEqual({
      check: `write secret/${path}`,
      status: 'warn',
      detail: 'read-only: migrate and rotate will fail here',
      fix: `add to the token's policy: path "secret/data/${path}" { capabilities = ["create", "update", "read"] }`,
    });
  });

  it('warns when the module cannot keep the token alive, or has no time to retry', async () => {
    const fixed = await doctor(await appToken({ ttl: '1h', renewable: false }));
    expect(byName(fixed.report)['token ttl']).toMatchObject({ status: 'warn' });
    expect(byName(fixed.report)['token ttl'].detail).toMatch(
      /^expires in (59m\d+s|1h0m), not renewable: after that the app cannot refresh and \/health reports down$/,
    );

    const short = await doctor(await appToken({ ttl: '60s' }));
    expect(byName(short.report)['token ttl']).toMatchObject({
      status: 'warn',
      fix: 'issue tokens with a TTL of at least 90 s (token_ttl)',
    });
    expect(byName(short.report)['token ttl'].detail).toMatch(
      /^expires in (1m0s|0m5\ds), renewable: the module acts at 67% of it, leaving (19|20) s to retry a failed renewal$/,
    );

    writeFileSync(join(cwd, 'no-renew.json'), JSON.stringify({ renewToken: false }));
    const noRenew = await doctor(await appToken({ ttl: '1h' }), ['--config', 'no-renew.json']);
    expect(byName(noRenew.report)['token ttl']).toMatchObject({
      status: 'warn',
      fix: 'set renewToken: true, or use AppRole so the module can log in again',
    });
  });

  it('checks KV v2 metadata only when refresh.useMetadata is set', async () => {
    const token = await appToken({ ttl: '1h' });
    writeFileSync(
      join(cwd, 'metadata.json'),
      JSON.stringify({ refresh: { intervalMs: 60_000, useMetadata: true } }),
    );
    const r = await doctor(token, ['--for-app', '--config', 'metadata.json']);
    expect(r.code).toBe(0);
    expect(byName(r.report)[`read secret/${path}`]).toMatchObject({
      status: 'warn',
      fix: `add to the token's policy: path "secret/metadata/${path}" { capabilities = ["read"] }`,
    });
    expect(byName(r.report)[`read secret/${path}`].detail).toContain(
      'not readable (refresh.useMetadata: each refresh reads the data instead)',
    );
  });

  it('revokes the token it logged in for; a token it was given stays valid', async () => {
    await vaultRequest(target, 'POST', 'sys/auth/approle', { type: 'approle' });
    await vaultRequest(target, 'POST', 'auth/approle/role/cli-doctor-focus', {
      token_policies: [policy],
      token_ttl: '1h',
    });
    const roleId = (
      (await vaultRequest(target, 'GET', 'auth/approle/role/cli-doctor-focus/role-id')).body as {
        data: { role_id: string };
      }
    ).data.role_id;
    const secretId = (
      (await vaultRequest(target, 'POST', 'auth/approle/role/cli-doctor-focus/secret-id', {}))
        .body as { data: { secret_id: string } }
    ).data.secret_id;
    tokens.push(secretId);
    const given = await appToken({ ttl: '1h' });
    const before = await accessors();

    const r = await cli(['doctor', '--auth', 'approle', '--path', path, '--json'], {
      env: { VAULT_ADDR: target.url, VAULT_ROLE_ID: roleId, VAULT_SECRET_ID: secretId },
      cwd,
    });
    expect(r.code).toBe(0);
    const checks = byName(JSON.parse(r.stdout) as Report);
    expect(checks.auth.detail).toBe(`approle: valid; policies ${policy}, default`);
    expect(checks.logout).toEqual({
      check: 'logout',
      status: 'ok',
      detail: "doctor's login token revoked (auth/token/revoke-self)",
      fix: '-',
    });
    // A failing check does not skip the logout.
    const failing = await cli(['doctor', '--auth', 'approle', '--path', 'cli-tests/none'], {
      env: { VAULT_ADDR: target.url, VAULT_ROLE_ID: roleId, VAULT_SECRET_ID: secretId },
      cwd,
    });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/\nlogout +ok +doctor's login token revoked/);
    expect(await accessors()).toEqual(before);

    const kept = await doctor(given);
    expect(byName(kept.report).logout).toBeUndefined();
    const lookup = await vaultRequest(target, 'GET', 'auth/token/lookup-self', undefined, {
      'X-Vault-Token': given,
    });
    expect(lookup.status).toBe(200);
  });
});
