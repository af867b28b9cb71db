/**
 * `vault-config rotate --if-older-than`: safe to run from cron or a Kubernetes CronJob — a fresh
 * secret is left alone (exit 0, nothing written), an old one is rotated. The age is the current
 * KV v2 version's created_time; "now" is the CLI's clock (moved ahead here to make a secret old).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createToken, describeTargets, writeKv2 } from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';
import { cli, plantedInCliOutput, readKv2, tempDir, uniquePath } from '../support/cli-support.js';
import { canary } from '../support/canary.js';

const { canaries, tokens } = plantedInCliOutput();
const DAY_MS = 86_400_000;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describeTargets('vault-config rotate --if-older-than', kind => {
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

  /** A secret with a canary `JWT_SECRET` at version 1. */
  const planted = async (label: string) => {
    const path = uniquePath(label);
    const value = canary(label);
    canaries.push(value);
    await writeKv2(target, path, { JWT_SECRET: value, OTHER: 'kept' });
    return { path, value };
  };
  const rotate = (path: string, extra: string[], now?: () => Date) =>
    cli(['rotate', '--path', path, '--key', 'JWT_SECRET', ...extra], {
      env,
      cwd,
      ...(now ? { now } : {}),
    });
  const keepCanary = async (path: string) => {
    const current = await readKv2(target, path);
    canaries.push(current.data!.JWT_SECRET as string);
    return current;
  };

  it('a fresh secret: exit 0, says how old it is against the threshold, writes nothing', async () => {
    const { path, value } = await planted('fresh');
    const r = await rotate(path, ['--if-older-than', '30d']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      new RegExp(
        `^JWT_SECRET at secret/${path} is fresh: version 1 is \\d+s old, under the 30d threshold; nothing written\\n$`,
      ),
    );
    const after = await readKv2(target, path);
    expect(after.version).toBe(1);
    expect(after.data!.JWT_SECRET).toBe(value);

    const json = await rotate(path, ['--if-older-than', '12h', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      command: 'rotate',
      ok: true,
      rotated: false,
      mount: 'secret',
      path,
      key: 'JWT_SECRET',
      version: 1,
      ageSeconds: expect.any(Number),
      olderThanSeconds: 43_200,
    });
    expect((await readKv2(target, path)).version).toBe(1);
  });

  it('an old secret (31 days on the CLI clock): rotated with check-and-set, the age in the line', async () => {
    const { path, value } = await planted('old');
    const later = () => new Date(Date.now() + 31 * DAY_MS);
    const r = await rotate(path, ['--if-older-than', '30d'], later);
    expect(r).toEqual({
      code: 0,
      stdout: `Rotated JWT_SECRET at secret/${path}: version 1 → 2 (version 1 was 31d old; threshold 30d)\n`,
      stderr: '',
    });
    const after = await keepCanary(path);
    expect(after.version).toBe(2);
    expect(after.data!.JWT_SECRET).not.toBe(value);
    expect(after.data!.OTHER).toBe('kept');

    // Version 2 was just written: on the real clock it is fresh, so the next run writes nothing.
    const again = await rotate(path, ['--if-older-than', '30d', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ rotated: false, version: 2 });
    expect((await readKv2(target, path)).version).toBe(2);
  });

  it('real time: 1s is old after a second; 0s always rotates; JSON says rotated', async () => {
    const { path } = await planted('clock');
    const early = await rotate(path, ['--if-older-than', '1h']);
    expect(early.stdout).toContain('is fresh');
    await sleep(1200);
    const r = await rotate(path, ['--if-older-than', '1s', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      rotated: true,
      previousVersion: 1,
      version: 2,
      olderThanSeconds: 1,
    });
    expect(JSON.parse(r.stdout).ageSeconds).toBeGreaterThanOrEqual(1);
    await keepCanary(path);
    const always = await rotate(path, ['--if-older-than', '0s']);
    expect(always.stdout).toMatch(
      new RegExp(
        `^Rotated JWT_SECRET at secret/${path}: version 2 → 3 \\(version 2 was \\d+s old; threshold 0s\\)\\n$`,
      ),
    );
    await keepCanary(path);
  });

  it('a key that does not exist yet is created with --create, whatever the threshold', async () => {
    const { path } = await planted('create');
    const r = await cli(
      ['rotate', '--path', path, '--key', 'NEW_KEY', '--create', '--if-older-than', '30d'],
      { env, cwd },
    );
    expect(r.stdout).toBe(`Rotated NEW_KEY at secret/${path}: version 1 → 2\n`);
    const after = await readKv2(target, path);
    canaries.push(after.data!.NEW_KEY as string);
    expect(after.data!.NEW_KEY).toEqual(expect.any(String));
  });

  it('a bad duration is a usage error (exit 2) that never echoes what was typed', async () => {
    const { path } = await planted('usage');
    const typed = canary('duration');
    canaries.push(typed);
    for (const bad of ['30', '1w', '-1d', '1.5h', '30 d', '', typed]) {
      const r = await rotate(path, [`--if-older-than=${bad}`]);
      expect(r).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'vault-config rotate: --if-older-than must be a duration such as 30d, 12h, 90m or 45s; ' +
          'see vault-config rotate --help\n',
      });
    }
    expect((await readKv2(target, path)).version).toBe(1);
  });
});
