/** vault-config migrate on the memory server: dry runs, lost answers, read-backs that differ. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describeTargets, createToken, writeKv2 } from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';
import { cli, readKv2, tempDir, uniquePath } from '../support/cli-support.js';
import { plantedMigrateSecrets, backupsIn } from '../support/cli-migrate-support.js';

const { secret, tokens } = plantedMigrateSecrets();

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
