import { beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const root = process.cwd();
const cli = join(root, 'libs', 'vault-testing', 'dist', 'cli.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

describe('vault-test-server CLI', () => {
  beforeAll(() => {
    // The CLI runs from the build output, like `npm run vault:dev`.
    const build = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-b',
        join(root, 'libs', 'vault-testing', 'tsconfig.lib.json'),
      ],
      { encoding: 'utf8' },
    );
    expect(build.status).toBe(0);
  }, 60_000);

  it('prints --help and exits 0', () => {
    const res = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('--root-token');
  });

  it('rejects unknown options with exit code 2', () => {
    const res = spawnSync(process.execPath, [cli, '--nope'], { encoding: 'utf8' });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("Unknown option '--nope'");
  });

  it('serves the seed on the given port, prints the line, and stops cleanly on SIGINT', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        cli,
        '--port',
        String(port),
        '--root-token',
        'cli-root',
        '--seed',
        join(root, 'seed', 'demo.seed.json'),
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', d => {
          out += String(d);
          if (out.includes('\n')) resolve(out.split('\n')[0]);
        });
        child.once('exit', () => reject(new Error('CLI exited before listening')));
        setTimeout(() => reject(new Error('no output within 10s')), 10_000).unref();
      });
      expect(line).toBe(`Vault test server listening on http://127.0.0.1:${port}`);
      const res = await fetch(`http://127.0.0.1:${port}/v1/secret/data/shared`, {
        headers: { 'X-Vault-Token': 'cli-root' },
      });
      expect(res.status).toBe(200);
      expect(
        ((await res.json()) as { data: { data: Record<string, string> } }).data.data.LOG_LEVEL,
      ).toBe('info');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
