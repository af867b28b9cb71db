/**
 * vault-config migrate is safe by default: VAULT_*, NODE_ENV and non-secret settings stay in the
 * file, the plan says why for every key, a `#` that cuts a value and a key assigned twice are
 * warned about (never a value), and what moves is what the app reads through dotenv.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as dotenvParse } from 'dotenv';
import { describeTargets, createToken, putPolicy } from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';
import { cli, readKv2, tempDir, uniquePath } from '../support/cli-support.js';
import { plantedMigrateSecrets } from '../support/cli-migrate-support.js';

const { secret, tokens } = plantedMigrateSecrets();

describeTargets('vault-config migrate defaults', kind => {
  let target: VaultTarget;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    target = await startTarget(kind);
    await putPolicy(
      target,
      'cli-defaults',
      'path "secret/*" { capabilities = ["create", "read", "update", "delete", "list"] }\n' +
        'path "sys/internal/ui/mounts/*" { capabilities = ["read"] }\n',
    );
    const token = await createToken(target, { policies: ['cli-defaults'], ttl: '1h' });
    tokens.push(token);
    env = { VAULT_ADDR: target.url, VAULT_TOKEN: token };
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('leaves VAULT_*, NODE_ENV and non-secret settings in the file; the plan says why', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = uniquePath('defaults');
      const db = secret('db');
      const jwt = secret('jwt');
      const settings =
        'NODE_ENV=production\n' +
        'VAULT_ADDR=http://vault.internal:8200\n' +
        'PORT=3000\n' +
        'LOG_LEVEL=info\n' +
        'TZ=UTC\n' +
        'NODE_OPTIONS=--enable-source-maps\n';
      writeFileSync(join(dir, '.env'), `${settings}DATABASE_URL=${db}\nJWT_SECRET=${jwt}\n`);
      const r = await cli(['migrate', '--path', path, '--sanitize', '--yes'], { env, cwd: dir });
      expect([r.code, r.stderr]).toEqual([0, '']);
      const nonSecret = 'non-secret setting: name it with --only to move it';
      const plan = `Plan for secret/${path} from .env (merge; Vault has no such secret yet):
  add     DATABASE_URL
  add     JWT_SECRET
  stay    NODE_ENV  (picks the environment before Vault is read: never moved)
  stay    VAULT_ADDR  (Vault connection setting: never moved)
  stay    PORT  (${nonSecret})
  stay    LOG_LEVEL  (${nonSecret})
  stay    TZ  (${nonSecret})
  stay    NODE_OPTIONS  (${nonSecret})
Vault: write a new version (2 to add, 0 to change, 0 to remove).
File: back up .env, then replace 2 value(s) with [VAULT].
`;
      expect(r.stdout.slice(0, plan.length)).toBe(plan);
      expect(await readKv2(target, path)).toEqual({
        status: 200,
        version: 1,
        data: { DATABASE_URL: db, JWT_SECRET: jwt },
      });
      expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(
        `${settings}DATABASE_URL=[VAULT]\nJWT_SECRET=[VAULT]\n`,
      );

      // A setting moves when --only names it; VAULT_* and NODE_ENV never do.
      const port = await cli(['migrate', '--path', path, '--only', 'PORT', '--yes', '--json'], {
        env,
        cwd: dir,
      });
      expect(port.code).toBe(0);
      const report = JSON.parse(port.stdout);
      expect(report.plan.add).toEqual(['PORT']);
      expect(report.plan.stay).toEqual([
        { key: 'NODE_ENV', reason: 'environment-name' },
        { key: 'VAULT_ADDR', reason: 'vault-connection-setting' },
        { key: 'LOG_LEVEL', reason: 'not-named-with-only' },
        { key: 'TZ', reason: 'not-named-with-only' },
        { key: 'NODE_OPTIONS', reason: 'not-named-with-only' },
        { key: 'DATABASE_URL', reason: 'not-named-with-only' },
        { key: 'JWT_SECRET', reason: 'not-named-with-only' },
      ]);
      expect((await readKv2(target, path)).data).toEqual({
        DATABASE_URL: db,
        JWT_SECRET: jwt,
        PORT: '3000',
      });
      const refused = await cli(['migrate', '--path', path, '--only', 'NODE_ENV,TZ', '--yes'], {
        env,
        cwd: dir,
      });
      expect([refused.code, refused.stdout, refused.stderr]).toEqual([
        2,
        '',
        'vault-config migrate: --only names NODE_ENV, which never moves: the module reads ' +
          'VAULT_* and NODE_ENV from the environment before it can read Vault; see vault-config ' +
          'migrate --help\n',
      ]);
      expect((await readKv2(target, path)).version).toBe(2);
    } finally {
      cleanup();
    }
  });

  it('warns about a # that cuts a value and a repeated key; moves what dotenv reads, leaves no tail', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = uniquePath('hash');
      const [head, tail, first, last, note] = ['head', 'tail', 'first', 'last', 'note'].map(secret);
      const original =
        `PASSWORD=${head}#${tail}\n` +
        `A=${first}\n` +
        `A=${last}\n` +
        `NOTE=${note} # a comment\n`;
      writeFileSync(join(dir, '.env'), original);
      const r = await cli(['migrate', '--path', path, '--sanitize', '--yes'], { env, cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe(
        'vault-config migrate: warning: .env, line 1: an unquoted # cuts the value of PASSWORD: ' +
          'dotenv (and so the app) reads only the part before it, and that part is what moves; ' +
          '--sanitize replaces the rest of the line too. If the # belongs to the value, put the ' +
          'value in quotes first.\n' +
          'vault-config migrate: warning: .env, lines 2 and 3: A is assigned 2 times; dotenv (and ' +
          'so the app) uses only the last one, line 3: that is the value migrate reads, and ' +
          '--sanitize replaces every one of them.\n',
      );
      // What the app reads today, by dotenv itself, is what Vault holds now.
      const appReads = dotenvParse(original);
      expect(appReads).toEqual({ PASSWORD: head, A: last, NOTE: note });
      expect((await readKv2(target, path)).data).toEqual(appReads);
      const sanitized = readFileSync(join(dir, '.env'), 'utf8');
      expect(sanitized).toBe('PASSWORD=[VAULT]\nA=[VAULT]\nA=[VAULT]\nNOTE=[VAULT] # a comment\n');
    } finally {
      cleanup();
    }
  });
});
