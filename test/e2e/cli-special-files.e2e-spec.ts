/**
 * The files the CLI reads (`migrate --file`, `doctor --config`) must be regular files of a sane
 * size: a FIFO (which blocks until a writer comes), a device such as /dev/zero (which never ends),
 * or a huge file is refused before it is read, with a message naming what it is.
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, plantedInCliOutput, tempDir } from '../support/cli-support.js';

const { tokens } = plantedInCliOutput();
/** A hang (reading a FIFO) must fail the test, not stall the suite. */
const QUICK_MS = 10_000;

describe('vault-config and special files', () => {
  it(
    'doctor --config refuses a FIFO, a device and a huge file before reading them (exit 2)',
    async () => {
      const { dir, cleanup } = tempDir();
      try {
        execFileSync('mkfifo', [join(dir, 'pipe.json')]);
        symlinkSync('/dev/zero', join(dir, 'zero.json'));
        writeFileSync(join(dir, 'huge.json'), '');
        truncateSync(join(dir, 'huge.json'), 8 * 1024 * 1024 * 1024); // sparse: no disk used
        const doctor = (file: string) => cli(['doctor', '--config', file], { env: {}, cwd: dir });
        for (const [file, what] of [
          ['pipe.json', 'is a named pipe (FIFO), not a regular file'],
          ['zero.json', 'is a character device, not a regular file'],
          ['/dev/zero', 'is a character device, not a regular file'],
          ['huge.json', 'is larger than 1048576 bytes'],
        ]) {
          const r = await doctor(file);
          expect([r.code, r.stdout, r.stderr]).toEqual([
            2,
            '',
            `vault-config doctor: --config ${file} ${what}; see vault-config doctor --help\n`,
          ]);
        }
      } finally {
        cleanup();
      }
    },
    QUICK_MS,
  );

  it(
    'migrate --file refuses a FIFO, a device and a huge file before reading them (exit 1)',
    async () => {
      const { dir, cleanup } = tempDir();
      try {
        const token = 'canary-special-files-token';
        tokens.push(token);
        const env = { VAULT_ADDR: 'http://127.0.0.1:9', VAULT_TOKEN: token };
        execFileSync('mkfifo', [join(dir, 'pipe.env')]);
        writeFileSync(join(dir, 'huge.env'), '');
        truncateSync(join(dir, 'huge.env'), 8 * 1024 * 1024 * 1024);
        for (const [file, what] of [
          ['pipe.env', 'is a named pipe (FIFO), not a regular file'],
          ['/dev/zero', 'is a character device, not a regular file'],
          ['huge.env', 'is larger than 1048576 bytes'],
        ]) {
          const r = await cli(['migrate', '--file', file, '--path', 'x', '--yes'], {
            env,
            cwd: dir,
          });
          expect([r.code, r.stdout, r.stderr]).toEqual([
            1,
            '',
            `vault-config migrate: ${file}: ${what}.\n`,
          ]);
        }
      } finally {
        cleanup();
      }
    },
    QUICK_MS,
  );
});
