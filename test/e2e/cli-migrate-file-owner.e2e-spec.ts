/**
 * migrate --sanitize keeps the owner and group of the .env file it rewrites, and gives them to the
 * backup: as root it fchowns the new files; as another user it refuses before anything is written.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { chownSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeTargets } from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';
import { cli, readKv2, tempDir, uniquePath } from '../support/cli-support.js';
import { backupsIn, plantedMigrateSecrets } from '../support/cli-migrate-support.js';

const { secret } = plantedMigrateSecrets();

/** Someone other than whoever runs the tests. */
const OWNER = { uid: 12345, gid: 23456 };
const asRoot = process.getuid?.() === 0;

describeTargets('vault-config migrate --sanitize and file ownership', kind => {
  let target: VaultTarget;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    target = await startTarget(kind);
    env = { VAULT_ADDR: target.url, VAULT_TOKEN: target.rootToken };
  });
  afterAll(async () => {
    await target?.stop();
  });

  (asRoot ? it : it.skip)('as root: the file and its backup keep owner and group', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, '.env');
      const original = `API_KEY=${secret('owned')}\n`;
      writeFileSync(file, original, { mode: 0o640 });
      chownSync(file, OWNER.uid, OWNER.gid);
      const path = uniquePath('owner');
      const r = await cli(['migrate', '--path', path, '--sanitize', '--yes'], { env, cwd: dir });
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(readFileSync(file, 'utf8')).toBe('API_KEY=[VAULT]\n');
      const [backup] = backupsIn(dir);
      expect(readFileSync(join(dir, backup), 'utf8')).toBe(original);
      const owned = (p: string) => {
        const s = statSync(p);
        return { uid: s.uid, gid: s.gid, mode: s.mode & 0o777 };
      };
      expect(owned(file)).toEqual({ ...OWNER, mode: 0o640 });
      expect(owned(join(dir, backup))).toEqual({ ...OWNER, mode: 0o600 });
    } finally {
      cleanup();
    }
  });

  it('as another user: refuses before writing Vault or the file, says why and what to do', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, '.env');
      const original = `API_KEY=${secret('not-mine')}\n`;
      writeFileSync(file, original, { mode: 0o600 });
      // Owned by someone who is not root: root may give any file any owner.
      if (asRoot) chownSync(file, OWNER.uid, OWNER.gid);
      const { uid, gid } = statSync(file);
      const path = uniquePath('not-owner');
      const stranger = { uid: uid + 4242, gid: gid + 4242, groups: [gid + 4242] };
      const r = await cli(['migrate', '--path', path, '--sanitize', '--yes'], {
        env,
        cwd: dir,
        user: stranger,
      });
      expect([r.code, r.stderr]).toEqual([
        1,
        `vault-config migrate: .env: is owned by uid ${uid}, but this command runs as uid ` +
          `${stranger.uid}: the rewritten file would change owner (only root may keep it). Run ` +
          `migrate --sanitize as uid ${uid} or as root; nothing was changed.\n`,
      ]);
      expect((await readKv2(target, path)).status).toBe(404);
      expect(readFileSync(file, 'utf8')).toBe(original);
      expect(backupsIn(dir)).toEqual([]);
      // Its own file, in a group it is not in.
      const member = { uid, gid: gid + 4242, groups: [gid + 4242] };
      const group = await cli(['migrate', '--path', path, '--sanitize', '--yes'], {
        env,
        cwd: dir,
        user: member,
      });
      expect(group.code).toBe(1);
      expect(group.stderr).toContain(
        `.env: belongs to group ${gid}, which uid ${uid} is not a member of`,
      );
      expect((await readKv2(target, path)).status).toBe(404);
    } finally {
      cleanup();
    }
  });
});
