/** vault-config migrate against each target: plan, write, verify, sanitize, and what stops it. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeTargets, createToken, putPolicy, writeKv2 } from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';
import { cli, readKv2, tempDir, uniquePath } from '../support/cli-support.js';
import { plantedMigrateSecrets, backupsIn, envFile } from '../support/cli-migrate-support.js';

const { secret, tokens } = plantedMigrateSecrets();

describeTargets('vault-config migrate', kind => {
  let target: VaultTarget;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    target = await startTarget(kind);
    await putPolicy(
      target,
      'cli-admin',
      'path "secret/*" { capabilities = ["create", "read", "update", "delete", "list"] }\n' +
        'path "sys/internal/ui/mounts/*" { capabilities = ["read"] }\n',
    );
    const token = await createToken(target, { policies: ['cli-admin'], ttl: '1h' });
    tokens.push(token);
    env = { VAULT_ADDR: target.url, VAULT_TOKEN: token };
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('plans, writes, verifies, sanitizes with a backup, and changes nothing when run again', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = uniquePath('happy');
      const values = {
        db: secret('db'),
        jwt: secret('jwt'),
        multi: secret('pem'),
        api: secret('api'),
      };
      const original = envFile(values);
      writeFileSync(join(dir, '.env'), original, { mode: 0o640 });
      chmodSync(join(dir, '.env'), 0o640);
      const args = ['migrate', '--path', path];

      const dry = await cli([...args, '--dry-run', '--sanitize'], { env, cwd: dir });
      expect(dry.code).toBe(0);
      expect(dry.stdout).toBe(
        `Plan for secret/${path} from .env (merge; Vault has no such secret yet):\n` +
          '  add     DATABASE_URL\n' +
          '  add     JWT_SECRET\n' +
          '  add     PEM\n' +
          '  add     API_KEY\n' +
          '  skip    EMPTY  (empty in the file)\n' +
          '  warn    REDIS_URL  ([VAULT] in the file but not in Vault)\n' +
          'Vault: write a new version (4 to add, 0 to change, 0 to remove).\n' +
          'File: back up .env, then replace 4 value(s) with [VAULT].\n' +
          'Dry run: nothing was written.\n',
      );
      expect((await readKv2(target, path)).status).toBe(404);
      expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(original);

      const applied = await cli([...args, '--sanitize', '--yes'], { env, cwd: dir });
      expect(applied.stderr).toBe('');
      expect(applied.code).toBe(0);
      expect(applied.stdout).toContain(
        `Wrote secret/${path} version 1; read back and verified 4 key(s).\n`,
      );
      expect(await readKv2(target, path)).toEqual({
        status: 200,
        version: 1,
        data: {
          DATABASE_URL: values.db,
          JWT_SECRET: values.jwt,
          PEM: `-----BEGIN-----\n${values.multi}\n-----END-----`,
          API_KEY: values.api,
        },
      });
      const [backup] = backupsIn(dir);
      expect(backupsIn(dir)).toHaveLength(1);
      expect(backup).toMatch(/^\.env\.backup\.\d{8}_\d{6}$/);
      expect(applied.stdout).toContain(`Backed up .env to ${backup} (mode 0600).\n`);
      expect(readFileSync(join(dir, backup), 'utf8')).toBe(original);
      expect(statSync(join(dir, backup)).mode & 0o777).toBe(0o600);
      const sanitized = readFileSync(join(dir, '.env'), 'utf8');
      expect(sanitized).toBe(
        '# Billing service, dev\n' +
          'export DATABASE_URL = "[VAULT]"  # primary\n' +
          '\n' +
          'JWT_SECRET=[VAULT]\n' +
          "PEM='[VAULT]'\n" +
          'REDIS_URL=[VAULT]\n' +
          'EMPTY=\n' +
          'API_KEY: [VAULT] # from the vendor portal\n',
      );
      expect(statSync(join(dir, '.env')).mode & 0o777).toBe(0o640);

      const again = await cli([...args, '--sanitize', '--yes'], { env, cwd: dir });
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('Vault: nothing to change.\n');
      expect(again.stdout).toMatch(/Nothing to change\.\n$/);
      expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(sanitized);
      expect((await readKv2(target, path)).version).toBe(1);
      expect(backupsIn(dir)).toEqual([backup]);
    } finally {
      cleanup();
    }
  });

  it('merges by default, --replace writes exactly the selected keys, --json reports it', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = uniquePath('modes');
      await writeKv2(target, path, { A: secret('old-a'), ONLY_IN_VAULT: secret('vault-only') });
      const a = secret('a');
      writeFileSync(join(dir, 'app.env'), `A=${a}\nB=${secret('b')}\nC=${secret('c')}\n`);
      const base = ['migrate', '--file', 'app.env', '--path', path, '--yes', '--json'];

      const merged = await cli([...base, '--only', 'A,B', '--exclude', 'B'], { env, cwd: dir });
      expect(merged.code).toBe(0);
      const report = JSON.parse(merged.stdout);
      expect(report).toMatchObject({
        command: 'migrate',
        ok: true,
        mode: 'merge',
        result: 'applied',
        previousVersion: 1,
        version: 2,
        verifiedKeys: 2,
        backup: null,
        plan: { add: [], change: ['A'], keep: [], keepOnlyInVault: ['ONLY_IN_VAULT'], remove: [] },
      });
      const afterMerge = await readKv2(target, path);
      expect(Object.keys(afterMerge.data!).sort()).toEqual(['A', 'ONLY_IN_VAULT']);
      expect(afterMerge.data!.A).toBe(a);

      const replaced = await cli([...base, '--replace'], { env, cwd: dir });
      expect(replaced.code).toBe(0);
      expect(JSON.parse(replaced.stdout).plan).toMatchObject({
        add: ['B', 'C'],
        keep: ['A'],
        remove: ['ONLY_IN_VAULT'],
      });
      expect(Object.keys((await readKv2(target, path)).data!).sort()).toEqual(['A', 'B', 'C']);
    } finally {
      cleanup();
    }
  });

  it('--sanitize after an earlier plain migrate only rewrites the file', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = uniquePath('later');
      const a = secret('later-a');
      const original = `# keep me\nA=${a}\nB=plain-not-selected\n`;
      writeFileSync(join(dir, '.env'), original);
      const first = await cli(['migrate', '--path', path, '--only', 'A', '--yes'], {
        env,
        cwd: dir,
      });
      expect(first.code).toBe(0);
      expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(original);
      expect(backupsIn(dir)).toEqual([]);

      const later = await cli(['migrate', '--path', path, '--only', 'A', '--yes', '--sanitize'], {
        env,
        cwd: dir,
        now: () => new Date(2026, 10, 5, 14, 22, 33),
      });
      expect(later.code).toBe(0);
      expect(later.stdout).toContain(
        '  keep    A  (same value)\n  stay    B  (not named with --only)\nVault: nothing to change.\n',
      );
      expect(later.stdout).toContain(
        'Backed up .env to .env.backup.20261105_142233 (mode 0600).\n',
      );
      expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(
        '# keep me\nA=[VAULT]\nB=plain-not-selected\n',
      );
      expect(readFileSync(join(dir, '.env.backup.20261105_142233'), 'utf8')).toBe(original);
      expect(await readKv2(target, path)).toEqual({ status: 200, version: 1, data: { A: a } });
    } finally {
      cleanup();
    }
  });

  it('a concurrent write between plan and write wins: check-and-set fails, nothing changes', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = uniquePath('cas');
      await writeKv2(target, path, { A: secret('v1') });
      const content = `A=${secret('file-a')}\n`;
      writeFileSync(join(dir, '.env'), content);
      const theirs = { A: secret('concurrent'), THEIRS: 'x' };
      const prompt = async () => {
        await writeKv2(target, path, theirs);
        return 'y';
      };
      const r = await cli(['migrate', '--path', path, '--sanitize'], { env, cwd: dir, prompt });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `vault-config migrate: secret/${path} changed while this command ran (check-and-set ` +
          'expected version 1); nothing was written. Run the command again to plan against the ' +
          'new version.\n',
      );
      expect(await readKv2(target, path)).toEqual({ status: 200, version: 2, data: theirs });
      expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(content);
      expect(backupsIn(dir)).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it('a file changed during the run: the Vault write is rolled back, the file is left alone', async () => {
    const { dir, cleanup } = tempDir();
    try {
      for (const existed of [true, false]) {
        const path = uniquePath(`file-race-${existed}`);
        const prior = { A: secret('prior') };
        if (existed) await writeKv2(target, path, prior);
        const file = join(dir, '.env');
        writeFileSync(file, `A=${secret('new')}\n`);
        const edited = `A=${secret('edited')}\n# someone else saved the file\n`;
        const prompt = async () => {
          writeFileSync(file, edited);
          return 'yes';
        };
        const r = await cli(['migrate', '--path', path, '--sanitize'], { env, cwd: dir, prompt });
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(
          'vault-config migrate: .env: changed while this command ran; nothing was changed in it.',
        );
        expect(readFileSync(file, 'utf8')).toBe(edited);
        expect(backupsIn(dir)).toEqual([]);
        const now = await readKv2(target, path);
        if (existed) {
          expect(r.stderr).toContain(
            `Rolled back secret/${path}: version 3 restores the data of version 1.`,
          );
          expect(now).toEqual({ status: 200, version: 3, data: prior });
        } else {
          expect(r.stderr).toContain(`Rolled back secret/${path}: version 1 is deleted`);
          expect(now.status).toBe(404);
        }
      }
    } finally {
      cleanup();
    }
  });

  it('a token that may only read gets a clear permission error; nothing changes', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = uniquePath('denied');
      await writeKv2(target, path, { A: secret('readable') });
      await putPolicy(
        target,
        'cli-read-only',
        `path "secret/data/${path}" { capabilities = ["read"] }`,
      );
      const reader = await createToken(target, { policies: ['cli-read-only'], ttl: '10m' });
      tokens.push(reader);
      const content = `A=${secret('denied')}\n`;
      writeFileSync(join(dir, '.env'), content);
      const r = await cli(['migrate', '--path', path, '--yes', '--sanitize'], {
        env: { ...env, VAULT_TOKEN: reader },
        cwd: dir,
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `Permission denied by Vault on "secret/data/${path}": the token needs the 'update' capability there.`,
      );
      expect((await readKv2(target, path)).version).toBe(1);
      expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(content);
      expect(backupsIn(dir)).toEqual([]);
    } finally {
      cleanup();
    }
  });
});
