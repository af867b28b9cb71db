/**
 * Key names that only Vault holds reach migrate's plan: escape sequences, C1 controls, bidi
 * overrides and line breaks in them are written out, never sent to the terminal (text and JSON).
 * The text case relies on safeText escaping C1 and bidi controls (utils/safe-text.ts).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeTargets, writeKv2 } from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';
import { cli, TERMINAL_UNSAFE, tempDir, uniquePath } from '../support/cli-support.js';
import { plantedMigrateSecrets } from '../support/cli-migrate-support.js';

const { secret } = plantedMigrateSecrets();

const HOSTILE_KEY = 'EVIL\u001b[31m\u009b2J\u202eTXT\nFORGED  (only in Vault)';

describeTargets('vault-config migrate: hostile key names from Vault', kind => {
  let target: VaultTarget;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    target = await startTarget(kind);
    env = { VAULT_ADDR: target.url, VAULT_TOKEN: target.rootToken };
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('prints a key name only Vault has escaped, on one line, in text and in JSON', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = uniquePath('hostile');
      await writeKv2(target, path, { [HOSTILE_KEY]: secret('vault-value') });
      writeFileSync(join(dir, '.env'), `A=${secret('a')}\n`);
      const base = ['migrate', '--path', path, '--dry-run'];

      for (const mode of ['--merge', '--replace']) {
        const r = await cli([...base, mode], { env, cwd: dir });
        expect(r.code).toBe(0);
        expect(r.stdout + r.stderr).not.toMatch(TERMINAL_UNSAFE);
        const lines = r.stdout.split('\n').filter(l => l.includes('EVIL'));
        expect(lines).toEqual([
          mode === '--merge'
            ? '  keep    EVIL\\u001b[31m\\u009b2J\\u202eTXT\\nFORGED  (only in Vault)  (only in Vault)'
            : '  remove  EVIL\\u001b[31m\\u009b2J\\u202eTXT\\nFORGED  (only in Vault)  (only in Vault; --replace)',
        ]);
        expect(r.stdout).not.toMatch(/^FORGED/m);
      }

      const json = await cli([...base, '--json'], { env, cwd: dir });
      expect(json.stdout).not.toMatch(TERMINAL_UNSAFE);
      expect(JSON.parse(json.stdout).plan.keepOnlyInVault).toEqual([HOSTILE_KEY]);
    } finally {
      cleanup();
    }
  });
});
