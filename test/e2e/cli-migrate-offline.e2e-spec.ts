/** vault-config migrate without a reachable Vault: bad files, a down server, the prompt. */
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startTarget } from '../support/vault-target.js';
import { cli, readKv2, tempDir } from '../support/cli-support.js';
import { canary } from '../support/canary.js';
import { plantedMigrateSecrets } from '../support/cli-migrate-support.js';

const { secret, tokens } = plantedMigrateSecrets();

describe('vault-config migrate without Vault', () => {
  it('a missing, unreadable or non-regular file and a down Vault: a clear message, exit 1', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const port = await freePort();
      const token = canary('token');
      tokens.push(token);
      const env = { VAULT_ADDR: `http://127.0.0.1:${port}`, VAULT_TOKEN: token };
      const run = (file: string) =>
        cli(['migrate', '--file', file, '--path', 'x', '--yes'], { env, cwd: dir });

      const missing = await run('nope.env');
      expect([missing.code, missing.stderr]).toEqual([
        1,
        'vault-config migrate: nope.env: does not exist (ENOENT).\n',
      ]);
      mkdirSync(join(dir, 'folder.env'));
      const folder = await run('folder.env');
      expect([folder.code, folder.stderr]).toEqual([
        1,
        'vault-config migrate: folder.env: is a directory, not a regular file.\n',
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
