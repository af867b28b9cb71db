import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { canary } from '../support/canary.js';

const root = resolve(import.meta.dirname, '../..');

interface Run {
  code: number;
  output: string;
}

/** The probe suite in a child Jest whose HOME is `home`, with extra Jest flags. */
function runProbe(home: string, flags: string[]): Promise<Run> {
  const args = [
    '--experimental-vm-modules',
    join(root, 'node_modules/jest/bin/jest.js'),
    '--config',
    'jest.unit.config.js',
    '--roots',
    '<rootDir>/test/jest/fixtures/',
    '--testRegex',
    'home-probe\\.probe\\.ts$',
    '--ci',
    ...flags,
  ];
  const env = { ...process.env, HOME: home, HOME_PROBE_PLANTED_HOME: home };
  return new Promise(done => {
    execFile(process.execPath, args, { cwd: root, env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, output: `${stdout}${stderr}` });
    });
  });
}

describe('every Jest run has a HOME of its own', () => {
  it("a ~/.vault-token planted in the caller's HOME is seen by no test, in-process or child", async () => {
    const home = mkdtempSync(join(tmpdir(), 'planted-home-'));
    const token = canary('home-token');
    writeFileSync(join(home, '.vault-token'), `${token}\n`);
    try {
      const [isolated, control] = await Promise.all([
        runProbe(home, []),
        runProbe(home, [
          '--globalSetup',
          '<rootDir>/test/jest/fixtures/no-home-isolation.global-setup.js',
        ]),
      ]);
      expect(isolated.output).toMatch(/Tests:\s+3 passed, 3 total/);
      expect(isolated.code).toBe(0);
      // The probe can tell: without the isolated HOME every one of its checks fails.
      expect(control.output).toMatch(/Tests:\s+3 failed, 3 total/);
      expect(control.code).not.toBe(0);
      expect(readFileSync(join(home, '.vault-token'), 'utf8')).toBe(`${token}\n`);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 120_000);
});
