import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRegularFile } from './read-regular-file.js';

describe('readRegularFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-config-read-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a regular file up to the limit', async () => {
    writeFileSync(join(dir, 'ok'), 'A=1\n');
    const read = await readRegularFile(join(dir, 'ok'), 4);
    expect(read.ok && read.bytes.toString()).toBe('A=1\n');
  });

  it('refuses a FIFO without waiting for a writer, and a device without reading it', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    mkdirSync(join(dir, 'folder'));
    expect(await readRegularFile(fifo, 1024)).toEqual({
      ok: false,
      reason: 'is a named pipe (FIFO), not a regular file',
    });
    expect(await readRegularFile('/dev/zero', 1024)).toEqual({
      ok: false,
      reason: 'is a character device, not a regular file',
    });
    expect(await readRegularFile(join(dir, 'folder'), 1024)).toEqual({
      ok: false,
      reason: 'is a directory, not a regular file',
    });
  });

  it('refuses a file over the limit and names a missing one', async () => {
    const big = join(dir, 'big');
    writeFileSync(big, '');
    truncateSync(big, 64 * 1024 * 1024 * 1024); // sparse: 64 GiB that take no disk
    expect(await readRegularFile(big, 1024)).toEqual({
      ok: false,
      reason: 'is larger than 1024 bytes',
    });
    writeFileSync(join(dir, 'five'), '12345');
    expect((await readRegularFile(join(dir, 'five'), 4)).ok).toBe(false);
    expect(await readRegularFile(join(dir, 'none'), 4)).toEqual({
      ok: false,
      reason: 'does not exist (ENOENT)',
    });
  });
});
