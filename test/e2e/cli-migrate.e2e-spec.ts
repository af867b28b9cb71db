import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { request as httpRequest, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describeTargets } from '../support/contract-helpers.js';
import { freePort, startTarget, type VaultTarget } from '../support/vault-target.js';
import {
  plantedInCliOutput,
  canary,
  cli,
  createToken,
  putPolicy,
  readKv2,
  tempDir,
  uniquePath,
  writeKv2,
} from './cli-support.js';

const { canaries, tokens } = plantedInCliOutput();
const secret = (label: string) => {
  const value = canary(label);
  canaries.push(value);
  return value;
};

const backupsIn = (dir: string) => readdirSync(dir).filter(n => n.startsWith('.env.backup.'));

/** A .env exercising what dotenv reads: comments, export, quotes, multi-line, placeholders. */
function envFile(values: { db: string; jwt: string; multi: string; api: string }): string {
  return (
    '# Billing service, dev\n' +
    `export DATABASE_URL = "${values.db}"  # primary\n` +
    '\n' +
    `JWT_SECRET=${values.jwt}\n` +
    `PEM='-----BEGIN-----\n${values.multi}\n-----END-----'\n` +
    'REDIS_URL=[VAULT]\n' +
    'EMPTY=\n' +
    `API_KEY: ${values.api} # from the vendor portal\n`
  );
}

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
      expect(readFileSync(join(dir, backup!), 'utf8')).toBe(original);
      expect(statSync(join(dir, backup!)).mode & 0o777).toBe(0o600);
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
      const base = ['migrate', '--env-file', 'app.env', '--path', path, '--yes', '--json'];

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
      expect(later.stdout).toContain('  keep    A  (same value)\nVault: nothing to change.\n');
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

describeTargets(
  'vault-config migrate, memory-only faults and counters',
  kind => {
    let target: VaultTarget;
    let env: NodeJS.ProcessEnv;
    beforeAll(async () => {
      target = await startTarget(kind);
      const token = await createToken(target, { policies: ['root'] });
      tokens.push(token);
      env = { VAULT_ADDR: target.url, VAULT_TOKEN: token };
    });
    afterAll(async () => {
      await target?.stop();
    });

    it('--dry-run sends no request that writes and leaves the file byte for byte', async () => {
      const { dir, cleanup } = tempDir();
      try {
        const path = uniquePath('dry');
        await writeKv2(target, path, { A: secret('vault-a') });
        const file = join(dir, '.env');
        writeFileSync(file, `A=${secret('a')}\nB=${secret('b')}\n`);
        const before = readFileSync(file);
        const mtime = statSync(file).mtimeMs;
        target.memory!.resetStats();
        const r = await cli(['migrate', '--path', path, '--dry-run', '--sanitize', '--json'], {
          env,
          cwd: dir,
        });
        expect(r.code).toBe(0);
        expect(JSON.parse(r.stdout)).toMatchObject({
          result: 'dry-run',
          dryRun: true,
          plan: { add: ['B'], change: ['A'], writesVault: true, sanitize: ['A', 'B'] },
          version: 1,
          backup: null,
        });
        const routes = Object.keys(target.memory!.stats().byRoute);
        expect(routes.length).toBeGreaterThan(0);
        expect(routes.filter(r => !r.startsWith('GET '))).toEqual([]);
        expect(readFileSync(file).equals(before)).toBe(true);
        expect(statSync(file).mtimeMs).toBe(mtime);
        expect(readdirSync(dir)).toEqual(['.env']);
        expect((await readKv2(target, path)).version).toBe(1);
      } finally {
        cleanup();
      }
    });

    it('a read-back that differs from the write rolls the write back', async () => {
      const { dir, cleanup } = tempDir();
      try {
        for (const existed of [true, false]) {
          const path = uniquePath(`verify-${existed}`);
          const prior = { A: secret('prior') };
          if (existed) await writeKv2(target, path, prior);
          const content = `A=${secret('file')}\n`;
          writeFileSync(join(dir, '.env'), content);
          const version = existed ? 2 : 1;
          const prompt = async () => {
            // The next GET of the secret (the read-back) answers with other data.
            target.memory!.faults.inject({
              path: `/v1/secret/data/${path}`,
              method: 'GET',
              status: 200,
              body: { data: { data: { A: 'tampered' }, metadata: { version } } },
              times: 1,
            });
            return 'y';
          };
          const r = await cli(['migrate', '--path', path, '--sanitize'], { env, cwd: dir, prompt });
          expect(r.code).toBe(1);
          expect(r.stderr).toContain(
            `vault-config migrate: Verification of secret/${path} failed: the data read back ` +
              'differs from the data written (keys: A).',
          );
          const now = await readKv2(target, path);
          if (existed) {
            expect(r.stderr).toContain(`version 3 restores the data of version 1.`);
            expect(now).toEqual({ status: 200, version: 3, data: prior });
          } else {
            expect(now.status).toBe(404);
          }
          expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(content);
          expect(backupsIn(dir)).toEqual([]);
        }
      } finally {
        cleanup();
      }
    });

    it('a write whose answer is lost: undone when it landed, left alone when it did not', async () => {
      const { dir, cleanup } = tempDir();
      // A loopback proxy to the test server that lets the first POST through to Vault and then
      // cuts the connection before the answer arrives.
      let dropNextPost = true;
      const proxy = createServer((req, res) => {
        const drop = req.method === 'POST' && dropNextPost;
        if (drop) dropNextPost = false;
        const upstream = httpRequest(
          `${target.url}${req.url}`,
          { method: req.method, headers: req.headers },
          answer => {
            if (drop) {
              answer.resume();
              req.socket.destroy();
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        req.pipe(upstream);
      });
      await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
      const port = (proxy.address() as AddressInfo).port;
      try {
        const viaProxy = { ...env, VAULT_ADDR: `http://127.0.0.1:${port}` };
        const path = uniquePath('lost');
        const prior = { A: secret('lost-prior') };
        await writeKv2(target, path, prior);
        writeFileSync(join(dir, '.env'), `A=${secret('lost-new')}\n`);
        const landed = await cli(['migrate', '--path', path, '--yes'], { env: viaProxy, cwd: dir });
        expect(landed.code).toBe(1);
        expect(landed.stderr).toContain(
          `Rolled back secret/${path}: version 3 restores the data of version 1.`,
        );
        expect(landed.stderr).toMatch(/is unavailable \((ECONNRESET|NETWORK_ERROR)\)/);
        expect(await readKv2(target, path)).toEqual({ status: 200, version: 3, data: prior });

        // Cut before Vault sees it (a reset fault): nothing landed, nothing to undo.
        const fault = target.memory!.faults.inject({
          path: `/v1/secret/data/${path}`,
          method: 'POST',
          reset: true,
          times: 1,
        });
        const lost = await cli(['migrate', '--path', path, '--yes'], { env, cwd: dir });
        fault.remove();
        expect(lost.code).toBe(1);
        expect(lost.stderr).not.toContain('Rolled back');
        expect((await readKv2(target, path)).version).toBe(3);
      } finally {
        await new Promise(resolve => proxy.close(resolve));
        cleanup();
      }
    });

    it('a malformed .env fails with its line number before any request', async () => {
      const { dir, cleanup } = tempDir();
      try {
        const hidden = secret('malformed');
        writeFileSync(join(dir, '.env'), `A=1\n# fine\nnot an assignment ${hidden}\n`);
        target.memory!.resetStats();
        const r = await cli(['migrate', '--path', 'x', '--yes'], { env, cwd: dir });
        expect(r.code).toBe(1);
        expect(r.stderr).toBe(
          'vault-config migrate: .env, line 3: is not a KEY=value assignment, a comment or a blank line.\n',
        );
        writeFileSync(join(dir, '.env'), `A=1\nB="${hidden}\nC=2\n`);
        const quote = await cli(['migrate', '--path', 'x', '--yes'], { env, cwd: dir });
        expect(quote.code).toBe(1);
        expect(quote.stderr).toBe(
          'vault-config migrate: .env, line 2: the quoted value of B has no closing ".\n',
        );
        expect(target.memory!.stats().total).toBe(0);
      } finally {
        cleanup();
      }
    });
  },
  ['memory'],
);

describe('vault-config migrate without Vault', () => {
  it('a missing, unreadable or non-regular file and a down Vault: a clear message, exit 1', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const port = await freePort();
      const token = canary('token');
      tokens.push(token);
      const env = { VAULT_ADDR: `http://127.0.0.1:${port}`, VAULT_TOKEN: token };
      const run = (file: string) =>
        cli(['migrate', '--env-file', file, '--path', 'x', '--yes'], { env, cwd: dir });

      const missing = await run('nope.env');
      expect([missing.code, missing.stderr]).toEqual([
        1,
        'vault-config migrate: nope.env: does not exist (ENOENT).\n',
      ]);
      mkdirSync(join(dir, 'folder.env'));
      const folder = await run('folder.env');
      expect([folder.code, folder.stderr]).toEqual([
        1,
        'vault-config migrate: folder.env: is not a regular file.\n',
      ]);
      if (process.getuid?.() !== 0) {
        writeFileSync(join(dir, 'locked.env'), 'A=1\n', { mode: 0o000 });
        const locked = await run('locked.env');
        expect([locked.code, locked.stderr]).toEqual([
          1,
          'vault-config migrate: locked.env: cannot be read: permission denied (EACCES).\n',
        ]);
      }

      const content = `A=${secret('down')}\n`;
      writeFileSync(join(dir, '.env'), content);
      const down = await run('.env');
      expect(down.code).toBe(1);
      expect(down.stderr).toMatch(
        new RegExp(
          `^vault-config migrate: Vault at http://127\\.0\\.0\\.1:${port} is unavailable \\(ECONNREFUSED\\)`,
        ),
      );
      expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(content);
      expect(existsSync(join(dir, 'nope.env'))).toBe(false);
    } finally {
      cleanup();
    }
  });

  it('asks before writing: "n" applies nothing; no terminal and no --yes is a usage error', async () => {
    const { dir, cleanup } = tempDir();
    const target = await startTarget('memory');
    try {
      const env = { VAULT_ADDR: target.url, VAULT_TOKEN: target.rootToken };
      writeFileSync(join(dir, '.env'), `A=${secret('ask')}\n`);
      const questions: string[] = [];
      const declined = await cli(['migrate', '--path', 'asked'], {
        env,
        cwd: dir,
        prompt: async q => {
          questions.push(q);
          return 'n';
        },
      });
      expect(questions).toEqual(['Apply? [y/N] ']);
      expect(declined.code).toBe(1);
      expect(declined.stdout).toMatch(/Not applied; nothing was changed\.\n$/);
      const scripted = await cli(['migrate', '--path', 'asked'], { env, cwd: dir, prompt: null });
      expect(scripted.code).toBe(2);
      expect(scripted.stderr).toBe(
        'vault-config migrate: stdin is not a terminal: pass --yes to write; see vault-config migrate --help\n',
      );
      expect((await readKv2(target, 'asked')).status).toBe(404);
    } finally {
      cleanup();
      await target.stop();
    }
  });
});
