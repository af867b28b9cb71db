/**
 * createVaultPgPool on a runtime reading the in-memory Vault over real HTTP (no database needed:
 * a pg.Pool connects lazily). What rotation does to the pools under load is proven against OpenBao
 * and PostgreSQL in test/e2e/pg-pool-soak.e2e-spec.ts.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { SecretsService } from '../nest/secrets.service.js';
import { credentialPoolsOf } from '../runtime/credential-pools.js';
import {
  RuntimeFixture,
  canary,
  fixtureTest,
} from '../runtime/vault-secrets-runtime.spec-helpers.js';
import { createVaultPgPool, vaultPgDriver, VaultPgPoolError } from './index.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..');
const IMPORT = /(?:^|\n)\s*(import|export)\s(type\s)?[^'"]*?from\s+'([^']+)'/g;

/** The packages a module loads, following relative imports (type-only ones excluded). */
function loadedPackages(file: string, seen = new Set<string>()): Set<string> {
  const packages = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const [, , typeOnly, spec] of readFileSync(path, 'utf8').matchAll(IMPORT)) {
      if (typeOnly) continue;
      if (spec.startsWith('.')) visit(join(dirname(path), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  };
  visit(file);
  return packages;
}
const eventually = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise(r => setTimeout(r, 10));
  return check();
};

class Fixture extends RuntimeFixture {
  board = credentialPoolsOf({});

  async write(password: string): Promise<void> {
    this.secrets.push(password);
    await this.call('POST', 'secret/data/db', { data: { username: 'app', password } });
  }

  async service(): Promise<SecretsService> {
    await this.write(canary('first'));
    const runtime = await this.runtime({
      sources: [{ mount: 'secret', path: 'db', prefix: 'DB_' }],
    });
    this.board = credentialPoolsOf(runtime);
    return new SecretsService(runtime);
  }
}

const test = fixtureTest(async () => new Fixture(await RuntimeFixture.startServer(), {}));
const connection = { host: '127.0.0.1', port: 1 };

describe('createVaultPgPool', () => {
  test('a key without a value is a VaultPgPoolError naming the option and key, never a value', async v => {
    const secrets = await v.service();
    const attempt = () =>
      createVaultPgPool(secrets, { user: 'DB_username', password: 'DB_pasword', pool: connection });
    expect(attempt).toThrow(VaultPgPoolError);
    expect(attempt).toThrow(/password names "DB_pasword", which has no value/);
    const empty = () => createVaultPgPool(secrets, { user: '', password: 'DB_password' });
    expect(empty).toThrow(/user must name the key/);
    const drain = () =>
      createVaultPgPool(secrets, {
        user: 'DB_username',
        password: 'DB_password',
        drainTimeoutMs: -1,
      });
    expect(drain).toThrow(/drainTimeoutMs must be a number/);
  });

  test('is a pg.Pool; a change event for its keys moves new checkouts to a new pool, the idle old one ends', async v => {
    const secrets = await v.service();
    const pool = createVaultPgPool(secrets, {
      user: 'DB_username',
      password: 'DB_password',
      pool: { ...connection, password: 'ignored', max: 3 },
    });
    expect(pool).toBeInstanceOf(pg.Pool);
    expect([pool.totalCount, pool.idleCount, pool.waitingCount]).toEqual([0, 0, 0]);
    const internals = pool as unknown as { generations: Array<{ pool: pg.Pool }> };
    const [first] = internals.generations;
    expect(first.pool.options).toMatchObject({ user: 'app', max: 3 });

    await v.write(canary('second'));
    await secrets.refresh();
    const [current] = internals.generations;
    expect(current).not.toBe(first);
    expect(current.pool.options.password).toBe(secrets.get('DB_password'));
    expect(await eventually(() => internals.generations.length === 1)).toBe(true);
    expect(first.pool.ended).toBe(true);

    const board = v.board;
    expect(board.list()).toEqual([
      expect.objectContaining({
        name: 'DB_username',
        kind: 'static',
        draining: 0,
        credentialSets: 1,
      }),
    ]);
    const printed = [inspect(pool, { depth: 4 }), JSON.stringify(board.list())].join('\n');
    for (const secret of v.secrets) expect(printed).not.toContain(secret);

    await pool.end();
    expect(pool.ended).toBe(true);
    expect(current.pool.ended).toBe(true);
    expect(board.list()).toEqual([]);
    await expect(pool.query('SELECT 1')).rejects.toThrow('Cannot use a pool after calling end');
  });

  test('vaultPgDriver gives TypeORM a Pool class whose pools follow the keys', async v => {
    const secrets = await v.service();
    const driver = vaultPgDriver(secrets, { user: 'DB_username', password: 'DB_password' });
    expect(driver).not.toHaveProperty('native'); // TypeORM would swap in pg-native's Pool
    const pool = new driver.Pool({ ...connection, user: 'typeorm-user' });
    const internals = pool as unknown as { generations: Array<{ pool: pg.Pool }> };
    expect(internals.generations[0].pool.options.user).toBe('app');
    await pool.end();
  });
});

describe('the pg subpath', () => {
  it('is the only entry that loads pg, and package.json exports it for import and require', () => {
    const main = new Set<string>();
    expect(loadedPackages(join(SRC, 'index.ts'), main)).not.toContain('pg');
    expect([...main].filter(f => f.includes('/pg/'))).toEqual([]);
    expect(loadedPackages(join(SRC, 'pg', 'index.ts'))).toContain('pg');
    const pkg = JSON.parse(readFileSync(join(SRC, '..', 'package.json'), 'utf8'));
    expect(pkg.exports['./pg']).toEqual({
      import: { types: './dist/pg/index.d.ts', default: './dist/pg/index.js' },
      require: { types: './dist/cjs/pg/index.d.ts', default: './dist/cjs/pg/index.js' },
    });
    expect(pkg.peerDependenciesMeta.pg).toEqual({ optional: true });
    expect(pkg.files).toEqual(expect.arrayContaining(['dist/pg/index.js', 'dist/cjs/pg/index.js']));
  });
});
