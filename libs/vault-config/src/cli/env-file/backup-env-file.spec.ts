import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chownSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupEnvFile, backupTimestamp } from './backup-env-file.js';
import { writeFileAtomically } from './write-file-atomically.js';

describe('backupEnvFile and writeFileAtomically', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-config-backup-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names backups YYYYMMDD_HHMMSS in local time', () => {
    expect(backupTimestamp(new Date(2026, 0, 2, 3, 4, 5))).toBe('20260102_030405');
  });

  it('writes byte-identical backups with mode 0600, never overwriting one', async () => {
    const file = join(dir, '.env');
    const bytes = Buffer.from('A="x"\r\n# ü\n', 'utf8');
    const now = new Date(2026, 10, 5, 14, 22, 33);
    const first = await backupEnvFile(file, bytes, now);
    const second = await backupEnvFile(file, Buffer.from('other'), now);
    expect(first).toBe(`${file}.backup.20261105_142233`);
    expect(second).toBe(`${file}.backup.20261105_142233_2`);
    expect(readFileSync(first).equals(bytes)).toBe(true);
    expect(statSync(first).mode & 0o777).toBe(0o600);
    expect(readFileSync(second, 'utf8')).toBe('other');
  });

  it('replaces a file atomically with the given mode and leaves no temporary file', async () => {
    const file = join(dir, 'app.env');
    writeFileSync(file, 'old', { mode: 0o640 });
    await writeFileAtomically(file, 'new', 0o640);
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(dir).filter(n => n.endsWith('.tmp'))).toEqual([]);
  });

  // Giving a file away takes root; the suites run as root in CI and in the dev container.
  const asRoot = process.getuid?.() === 0 ? it : it.skip;

  asRoot('gives the rewritten file and the backup the original owner and group', async () => {
    const file = join(dir, 'owned.env');
    const owner = { uid: 12345, gid: 23456 };
    writeFileSync(file, 'old', { mode: 0o640 });
    chownSync(file, owner.uid, owner.gid);
    await writeFileAtomically(file, 'new', 0o640, owner);
    const backup = await backupEnvFile(file, Buffer.from('old'), new Date(2026, 0, 1), owner);
    for (const [path, mode] of [
      [file, 0o640],
      [backup, 0o600],
    ] as const) {
      const info = statSync(path);
      expect([info.uid, info.gid, info.mode & 0o777]).toEqual([owner.uid, owner.gid, mode]);
    }
    expect(readFileSync(file, 'utf8')).toBe('new');
  });
});
