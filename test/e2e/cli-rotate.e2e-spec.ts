import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { describeTargets, mountKv, createToken, writeKv2 } from '../support/contract-helpers.js';
import { startTarget, vaultRequest, type VaultTarget } from '../support/vault-target.js';
import { plantedInCliOutput, cli, readKv2, tempDir, uniquePath } from '../support/cli-support.js';
import { canary } from '../support/canary.js';

const { canaries, tokens } = plantedInCliOutput();

describeTargets('vault-config rotate', kind => {
  let target: VaultTarget;
  let env: NodeJS.ProcessEnv;
  let cwd: string;
  let cleanup: () => void;

  beforeAll(async () => {
    target = await startTarget(kind);
    const token = await createToken(target, { policies: ['root'] });
    tokens.push(token);
    env = { VAULT_ADDR: target.url, VAULT_TOKEN: token };
    ({ dir: cwd, cleanup } = tempDir());
  });
  afterAll(async () => {
    cleanup?.();
    await target?.stop();
  });

  it('writes a new random value with check-and-set, keeps the other keys, prints versions only', async () => {
    const path = uniquePath('rotate');
    const old = canary('old-jwt');
    const other = canary('other');
    canaries.push(old, other);
    await writeKv2(target, path, { JWT_SECRET: old, OTHER: other, NESTED: { n: 1 } });

    const r = await cli(['rotate', '--path', path, '--key', 'JWT_SECRET'], { env, cwd });
    expect(r).toEqual({
      code: 0,
      stdout: `Rotated JWT_SECRET at secret/${path}: version 1 → 2\n`,
      stderr: '',
    });
    const now = await readKv2(target, path);
    expect(now.version).toBe(2);
    expect(now.data!.OTHER).toBe(other);
    expect(now.data!.NESTED).toEqual({ n: 1 });
    const fresh = now.data!.JWT_SECRET as string;
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes, base64url
    expect(fresh).not.toBe(old);
    canaries.push(fresh);

    const hex = await cli(
      [
        'rotate',
        '--path',
        path,
        '--key',
        'JWT_SECRET',
        '--bytes',
        '16',
        '--encoding',
        'hex',
        '--json',
      ],
      { env, cwd },
    );
    expect(hex.code).toBe(0);
    expect(JSON.parse(hex.stdout)).toEqual({
      command: 'rotate',
      ok: true,
      mount: 'secret',
      path,
      key: 'JWT_SECRET',
      previousVersion: 2,
      version: 3,
      created: false,
      bytes: 16,
      encoding: 'hex',
    });
    const third = (await readKv2(target, path)).data!.JWT_SECRET as string;
    expect(third).toMatch(/^[0-9a-f]{32}$/);
    canaries.push(third);
  });

  it('a missing key or secret fails with exit 1 unless --create', async () => {
    const path = uniquePath('create');
    const missingPath = await cli(['rotate', '--path', path, '--key', 'K'], { env, cwd });
    expect(missingPath.code).toBe(1);
    expect(missingPath.stderr).toBe(
      `vault-config rotate: secret/${path} does not exist (or its latest version is deleted); ` +
        'pass --create to create it.\n',
    );
    expect((await readKv2(target, path)).status).toBe(404);

    const created = await cli(['rotate', '--path', path, '--key', 'K', '--create'], { env, cwd });
    expect(created.stdout).toBe(`Rotated K at secret/${path}: version none → 1\n`);
    canaries.push((await readKv2(target, path)).data!.K as string);

    const missingKey = await cli(['rotate', '--path', path, '--key', 'L'], { env, cwd });
    expect(missingKey.code).toBe(1);
    expect(missingKey.stderr).toBe(
      `vault-config rotate: secret/${path} has no key L; pass --create to add it.\n`,
    );
    expect((await readKv2(target, path)).version).toBe(1);
  });

  it('refuses a KV v1 mount (no check-and-set there)', async () => {
    const mount = `cli-kv1-${Date.now().toString(36)}`;
    await mountKv(target, mount, 1);
    const r = await cli(['rotate', '--mount', mount, '--path', 'a', '--key', 'K', '--create'], {
      env,
      cwd,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `vault-config rotate: Mount "${mount}": is KV version 1; migrate and rotate need KV version 2 ` +
        '(check-and-set and version history).\n',
    );
    expect((await vaultRequest(target, 'GET', `${mount}/data/a`)).status).toBe(404);
  });

  it('with --auth approle, revokes its login token before it exits', async () => {
    const path = uniquePath('rotate-approle');
    const old = canary('approle-jwt');
    canaries.push(old);
    await writeKv2(target, path, { JWT_SECRET: old });
    await vaultRequest(target, 'PUT', 'sys/policies/acl/cli-rotate-writer', {
      policy: `path "secret/data/${path}" { capabilities = ["create", "update", "read"] }`,
    });
    await vaultRequest(target, 'POST', 'sys/auth/approle', { type: 'approle' });
    await vaultRequest(target, 'POST', 'auth/approle/role/cli-rotate', {
      token_policies: ['cli-rotate-writer'],
    });
    const roleId = (
      (await vaultRequest(target, 'GET', 'auth/approle/role/cli-rotate/role-id')).body as {
        data: { role_id: string };
      }
    ).data.role_id;
    const secretId = (
      (await vaultRequest(target, 'POST', 'auth/approle/role/cli-rotate/secret-id', {})).body as {
        data: { secret_id: string };
      }
    ).data.secret_id;
    tokens.push(secretId);
    const accessors = async () =>
      (
        (await vaultRequest(target, 'LIST', 'auth/token/accessors')).body as {
          data: { keys: string[] };
        }
      ).data.keys.sort();
    const before = await accessors();
    const r = await cli(['rotate', '--auth', 'approle', '--path', path, '--key', 'JWT_SECRET'], {
      env: { VAULT_ADDR: target.url, VAULT_ROLE_ID: roleId, VAULT_SECRET_ID: secretId },
      cwd,
    });
    expect(r.stdout).toBe(`Rotated JWT_SECRET at secret/${path}: version 1 → 2\n`);
    canaries.push((await readKv2(target, path)).data!.JWT_SECRET as string);
    expect(await accessors()).toEqual(before);
  });
});
