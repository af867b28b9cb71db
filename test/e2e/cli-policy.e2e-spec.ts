/**
 * `vault-config policy`: prints what vaultPolicyFor prints for the same options file, with {env}
 * expanded for each --env; Vault / OpenBao accept the HCL, and a token holding only it (no
 * `default`) reads each environment's paths and nothing beside them. Never prints a credential of
 * the file; wrong options and flags fail with what is wrong.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { vaultPolicyFor } from 'nestjs-vault-config';
import { cli, plantedInCliOutput, tempDir, TERMINAL_UNSAFE } from '../support/cli-support.js';
import { call, describeTargets, kv2Write, uniq } from '../support/contract-helpers.js';
import { canary } from '../support/canary.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

describeTargets('vault-config policy', kind => {
  let t: VaultTarget;
  const tmp = tempDir();
  const planted = plantedInCliOutput();
  beforeAll(async () => {
    t = await startTarget(kind);
  });
  afterAll(async () => {
    await t?.stop();
    tmp.cleanup();
  });

  it('prints the policy of the options file for each --env; a token with only it reads those paths', async () => {
    const prefix = uniq('cli-policy');
    const secretId = canary('secret-id');
    planted.canaries.push(secretId);
    const options = {
      auth: { method: 'approle', roleId: 'app', secretId },
      refresh: { intervalMs: 60_000, useMetadata: true },
      sources: [{ mount: 'secret', path: `${prefix}/{env}` }],
    };
    const file = join(tmp.dir, 'app.json');
    writeFileSync(file, JSON.stringify(options));
    const env = { NODE_ENV: 'test' };
    const run = await cli(
      ['policy', '--config', 'app.json', '--name', 'billing', '--env', 'staging', '--env', 'prod'],
      { env, cwd: tmp.dir },
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).not.toMatch(TERMINAL_UNSAFE);
    expect(run.stdout).toContain('vault policy write billing');
    for (const e of ['staging', 'prod']) {
      expect(run.stdout).toContain(`path "secret/data/${prefix}/${e}" {`);
      expect(run.stdout).toContain(`path "secret/metadata/${prefix}/${e}" {`);
    }
    // Without --env: the file's options as the module resolves them, exactly vaultPolicyFor's text.
    const plain = await cli(['policy', '--config', file], { env, cwd: tmp.dir });
    expect(plain.code).toBe(0);
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'test';
    try {
      expect(plain.stdout).toBe(vaultPolicyFor(options as never));
    } finally {
      process.env.NODE_ENV = saved;
    }
    expect(plain.stdout).toContain(`path "secret/data/${prefix}/test" {`);

    const policy = uniq('cli-policy');
    expect(
      (await call(t, 'PUT', `sys/policies/acl/${policy}`, { body: { policy: run.stdout } })).status,
    ).toBe(204);
    const created = await call(t, 'POST', 'auth/token/create', {
      body: { policies: [policy], no_default_policy: true, ttl: '10m' },
    });
    const token = created.body.auth.client_token as string;
    planted.tokens.push(token);
    for (const e of ['staging', 'prod']) {
      await kv2Write(t, 'secret', `${prefix}/${e}`, { K: 'v' });
      expect((await call(t, 'GET', `secret/data/${prefix}/${e}`, { token })).status).toBe(200);
      expect((await call(t, 'GET', `secret/metadata/${prefix}/${e}`, { token })).status).toBe(200);
    }
    await kv2Write(t, 'secret', `${prefix}/dev`, { K: 'v' });
    expect((await call(t, 'GET', `secret/data/${prefix}/dev`, { token })).status).toBe(403);
    expect((await call(t, 'GET', 'auth/token/lookup-self', { token })).status).toBe(200);

    const json = await cli(['policy', '--config', file, '--env', 'prod', '--json'], {
      env,
      cwd: tmp.dir,
    });
    const parsed = JSON.parse(json.stdout);
    expect(parsed).toMatchObject({ command: 'policy', ok: true, environments: ['prod'] });
    expect(parsed.rules.map((r: { path: string }) => r.path)).toContain(
      `secret/data/${prefix}/prod`,
    );
    expect(parsed.policy).toContain(`path "secret/data/${prefix}/prod"`);
  });

  it('wrong flags are usage errors; wrong options name each option, never a value', async () => {
    const env = {};
    expect((await cli(['policy'], { env, cwd: tmp.dir })).code).toBe(2);
    const file = join(tmp.dir, 'bad.json');
    const hidden = canary('path');
    planted.canaries.push(hidden);
    writeFileSync(file, JSON.stringify({ sources: [{ mount: 'secret', path: `a/*${hidden}` }] }));
    const badName = await cli(['policy', '--config', file, '--name', 'a b'], { env, cwd: tmp.dir });
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('--name must be a policy name');
    const bad = await cli(['policy', '--config', file], { env, cwd: tmp.dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('sources[0].path holds a character a policy path cannot hold');
    const badEnv = await cli(['policy', '--config', file, '--env', '../x'], { env, cwd: tmp.dir });
    expect(badEnv.code).toBe(1);
    expect(badEnv.stderr).toContain('env must be one path segment');
  });
});
