import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeTargets, createToken, putPolicy, writeKv2 } from '../support/contract-helpers.js';
import { freePort, startTarget, vaultRequest, type VaultTarget } from '../support/vault-target.js';
import { plantedInCliOutput, cli, tempDir, uniquePath } from '../support/cli-support.js';
import { canary } from '../support/canary.js';

const { canaries, tokens } = plantedInCliOutput();

interface Check {
  check: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix: string;
}
const byName = (checks: Check[]) => Object.fromEntries(checks.map(c => [c.check, c]));

describeTargets('vault-config doctor', kind => {
  let target: VaultTarget;
  let cwd: string;
  let cleanup: () => void;
  let path: string;
  let appToken: string;

  beforeAll(async () => {
    target = await startTarget(kind);
    ({ dir: cwd, cleanup } = tempDir());
    path = uniquePath('app');
    const value = canary('doctor');
    canaries.push(value);
    await writeKv2(target, path, { DATABASE_URL: value, PORT: '3000' });
    await putPolicy(
      target,
      'cli-doctor-app',
      `path "secret/data/${path}" { capabilities = ["read"] }\n` +
        `path "secret/data/cli-tests/missing-*" { capabilities = ["read"] }\n`,
    );
    appToken = await createToken(target, { policies: ['cli-doctor-app'], ttl: '30m' });
    tokens.push(appToken);
  });
  afterAll(async () => {
    cleanup?.();
    await target?.stop();
  });

  it('prints an aligned table; a sound read-only app token gets no warning', async () => {
    const r = await cli(['doctor', '--path', path], {
      env: { VAULT_ADDR: target.url, VAULT_TOKEN: appToken },
      cwd,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^CHECK +STATUS +DETAIL +FIX$/);
    const statusColumn = lines[0].indexOf('STATUS');
    const rows = lines.slice(1, lines.indexOf(''));
    expect(rows.map(l => l.slice(0, statusColumn).trim())).toEqual([
      'address',
      'tls',
      'auth',
      'token ttl',
      `read secret/${path}`,
      `write secret/${path}`,
    ]);
    expect(rows.map(l => l.slice(statusColumn).split(/\s+/)[0])).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
    expect(r.stdout).toContain('valid; policies cli-doctor-app, default');
    expect(r.stdout).toMatch(/expires in (29|30)m\d+s, renewable/);
    expect(r.stdout).toContain(
      'read-only, all the app needs (--for-cli checks what migrate and rotate need)',
    );
    expect(r.stdout).not.toContain('metadata');
    expect(r.stdout).toMatch(/\nNothing failed\.\n$/);
  });

  it('fails (exit 1) for a missing required secret and a rejected token; --json and --config', async () => {
    const missing = 'cli-tests/missing-{env}';
    const config = join(cwd, 'vault.json');
    writeFileSync(
      config,
      JSON.stringify({ env: 'prod', sources: [{ mount: 'secret', path: missing }] }),
    );
    const r = await cli(['doctor', '--config', 'vault.json', '--path', path, '--json'], {
      env: { VAULT_ADDR: target.url, VAULT_TOKEN: appToken },
      cwd,
    });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
    expect(report.ok).toBe(false);
    const checks = byName(report.checks);
    expect(checks['read secret/cli-tests/missing-prod']).toEqual({
      check: 'read secret/cli-tests/missing-prod',
      status: 'fail',
      detail: 'the secret does not exist',
      fix: 'create it, e.g. vault-config migrate --mount secret --path cli-tests/missing-prod',
    });
    expect(checks[`read secret/${path}`]?.detail).toMatch(/^KV v2, version 1, 2 key\(s\)/);

    const bad = canary('bad-token');
    tokens.push(bad);
    const rejected = await cli(['doctor', '--path', path], {
      env: { VAULT_ADDR: target.url, VAULT_TOKEN: bad },
      cwd,
    });
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toMatch(
      /\nauth +fail +token \(VAULT_TOKEN\): Vault rejects the token \(invalid, expired or revoked\) +set VAULT_TOKEN/,
    );
  });

  it('logs in with --auth approle and judges the login token', async () => {
    await vaultRequest(target, 'POST', 'sys/auth/approle', { type: 'approle' });
    await vaultRequest(target, 'POST', 'auth/approle/role/cli-doctor', {
      token_policies: ['cli-doctor-app'],
      token_ttl: '2h',
    });
    const roleId = (
      (await vaultRequest(target, 'GET', 'auth/approle/role/cli-doctor/role-id')).body as {
        data: { role_id: string };
      }
    ).data.role_id;
    const secretId = (
      (await vaultRequest(target, 'POST', 'auth/approle/role/cli-doctor/secret-id', {})).body as {
        data: { secret_id: string };
      }
    ).data.secret_id;
    tokens.push(secretId);
    const r = await cli(['doctor', '--auth', 'approle', '--path', path, '--json'], {
      env: { VAULT_ADDR: target.url, VAULT_ROLE_ID: roleId, VAULT_SECRET_ID: secretId },
      cwd,
    });
    expect(r.code).toBe(0);
    const checks = byName((JSON.parse(r.stdout) as { checks: Check[] }).checks);
    expect(checks.auth).toMatchObject({
      status: 'ok',
      detail: 'approle: valid; policies cli-doctor-app, default',
    });
    expect(checks['token ttl']).toMatchObject({ status: 'ok' });
    expect(checks['token ttl'].detail).toMatch(/^expires in (1h59m|2h0m), renewable$/);
  });
});

describe('vault-config doctor, unusable Vault', () => {
  it('an unreachable address fails with a fix, and nothing after it is attempted', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const port = await freePort();
      const token = canary('token');
      tokens.push(token);
      const r = await cli(['doctor', '--path', 'app'], {
        env: { VAULT_ADDR: `http://127.0.0.1:${port}`, VAULT_TOKEN: token },
        cwd: dir,
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        new RegExp(
          `\\naddress +fail +http://127\\.0\\.0\\.1:${port} unreachable \\(ECONNREFUSED\\) +check VAULT_ADDR`,
        ),
      );
      expect(r.stdout).toMatch(/\nauth +fail +not checked: Vault cannot be used/);
      expect(r.stdout).toMatch(/\n2 check\(s\) failed\.\n$/);
    } finally {
      cleanup();
    }
  });

  it('reports missing options and a sealed Vault', async () => {
    const { dir, cleanup } = tempDir();
    const target = await startTarget('memory');
    try {
      const unset = await cli(['doctor'], { env: {}, cwd: dir });
      expect(unset.code).toBe(1);
      expect(unset.stdout).toMatch(
        /^CHECK .*\noptions +fail +Invalid vault-config options: address is required/,
      );

      expect((await vaultRequest(target, 'PUT', 'sys/seal')).status).toBe(204);
      const sealed = await cli(['doctor'], {
        env: { VAULT_ADDR: target.url, VAULT_TOKEN: target.rootToken },
        cwd: dir,
      });
      expect(sealed.code).toBe(1);
      expect(sealed.stdout).toMatch(
        /\naddress +fail +http:\/\/127\.0\.0\.1:\d+ is sealed +unseal Vault/,
      );
    } finally {
      cleanup();
      await target.stop();
    }
  });
});
