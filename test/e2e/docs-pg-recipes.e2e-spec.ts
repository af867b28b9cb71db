/**
 * The recipes of docs/pg.md run as printed (test/support/docs-pg-recipes.ts writes each block to a
 * file and the test imports it), against OpenBao's database engine and a real PostgreSQL: plain
 * `pg`, `@nestjs/typeorm`, Drizzle and Knex (`connectionPool`) each read and write through their
 * own library, follow a re-issue of the credentials (6 s leases) to the new database user, keep
 * working once the old user is dropped, and leave no user after `app.close()`. Knex before 3.3 (a
 * `connection` function with `expirationChecker`) is run too, to pin down what the docs say it
 * does and does not do. The in-memory server creates no database users: there this is a named skip.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Knex } from 'knex';
import { SecretsService, VaultConfigModule } from 'nestjs-vault-config';
import pg from 'pg';
import { expectNoCanary } from '../support/canary.js';
import { configureDatabaseEngine } from '../support/database-engine.js';
import {
  DRIVERS,
  knexDriver,
  RECIPE_TABLE,
  writeRecipes,
  type RecipeDriver,
} from '../support/docs-pg-recipes.js';
import { eventually, sleep, tokenWithPolicy } from '../support/lifecycle-support.js';
import { CapturingLogger } from '../support/module-support.js';
import {
  describeDatabaseTargets,
  startPostgres,
  type PostgresServer,
} from '../support/postgres.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

const LEASE_S = 6;
const USERS = 'v-token-app-%';

describeDatabaseTargets('docs/pg.md recipes, run as printed (%s)', kind => {
  if (kind === 'memory') {
    it.skip('the in-memory server creates no database users: the recipes run on OpenBao', () => {});
    return;
  }
  let target: VaultTarget;
  let server: PostgresServer;
  let written: ReturnType<typeof writeRecipes>;
  /** The superuser on database 'app'. */
  let admin: pg.Client;
  const saved = { ...process.env };
  const logger = new CapturingLogger();
  const seen: string[] = [];

  /** Every dynamic user PostgreSQL has now. */
  const users = async () =>
    (await server.query(`SELECT rolname FROM pg_roles WHERE rolname LIKE '${USERS}'`))
      .split('\n')
      .filter(Boolean);
  const rowsLabelled = async (prefix: string) =>
    Number(
      (
        await admin.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${RECIPE_TABLE} WHERE label LIKE $1`,
          [`${prefix}%`],
        )
      ).rows[0].n,
    );

  beforeAll(async () => {
    target = await startTarget(kind);
    server = await startPostgres();
    await server.query('CREATE DATABASE app');
    // The recipes use database 'app'; the table lives there, open to every (dynamic) user.
    admin = new pg.Client({
      host: server.host,
      port: server.port,
      user: server.superuser,
      password: server.password,
      database: 'app',
    });
    await admin.connect();
    await admin.query(
      `CREATE TABLE ${RECIPE_TABLE} (id serial PRIMARY KEY, label text NOT NULL);` +
        `GRANT SELECT, INSERT ON ${RECIPE_TABLE} TO PUBLIC;` +
        `GRANT USAGE ON SEQUENCE ${RECIPE_TABLE}_id_seq TO PUBLIC;`,
    );
    await configureDatabaseEngine(target, server, {
      role: 'app',
      defaultTtl: LEASE_S,
      maxTtl: LEASE_S,
    });
    const token = await tokenWithPolicy(
      target,
      'docs-pg',
      'path "database/creds/app" { capabilities = ["read"] }\n' +
        'path "sys/leases/renew" { capabilities = ["update"] }\n' +
        'path "sys/leases/revoke" { capabilities = ["update"] }\n',
    );
    // What the recipes read from the environment.
    Object.assign(process.env, {
      VAULT_ADDR: target.url,
      VAULT_TOKEN: token,
      PGHOST: server.host,
      PGPORT: String(server.port),
    });
    written = writeRecipes();
  }, 60_000);
  afterAll(async () => {
    process.env = saved;
    written?.cleanup();
    await admin?.end();
    await Promise.allSettled([server?.stop(), target?.stop()]);
    expectNoCanary(logger.lines, seen);
  });

  it('docs/pg.md holds the four recipes and the Knex-before-3.3 one', () => {
    expect(written.recipes.map(r => `${r.group}/${r.file}`)).toEqual([
      'pg-plain/database.module.ts',
      'pg-typeorm/database.module.ts',
      'pg-drizzle/database.module.ts',
      'pg-knex/database.module.ts',
      'pg-knex-connection/knex-connection.ts',
    ]);
  });

  /** Boots `imports` as an app (logger captured); the caller closes it. */
  const boot = async (imports: Type[]): Promise<TestingModule> => {
    const moduleRef = await Test.createTestingModule({ imports }).setLogger(logger).compile();
    return moduleRef.init();
  };
  /** Waits for the module to re-issue the credentials (a 6 s lease: at half its time). */
  const nextUser = async (secrets: SecretsService, than: string): Promise<string> => {
    expect(await eventually(() => secrets.get('DB_username') !== than, 3 * LEASE_S * 1000)).toBe(
      true,
    );
    seen.push(secrets.getOrThrow('DB_password'));
    return secrets.getOrThrow('DB_username');
  };

  it.each(Object.keys(DRIVERS))(
    '%s: a query and a write, a re-issue, the same on the new user, again once the old one is dropped; none left after close',
    async group => {
      const exports = await written.load(group);
      const app = await boot([exports.DatabaseModule as Type]);
      let closed = false;
      try {
        const secrets = app.get<SecretsService>(SecretsService);
        const db: RecipeDriver = DRIVERS[group](app, exports);
        const first = secrets.getOrThrow('DB_username');
        seen.push(secrets.getOrThrow('DB_password'));
        const writeTwice = (step: number) =>
          Promise.all([db.write(`${group}-${step}a`), db.write(`${group}-${step}b`)]);
        expect(await db.currentUser()).toBe(first);
        await writeTwice(1); // two connections open on the first credentials

        const second = await nextUser(secrets, first);
        expect(await db.currentUser()).toBe(second);
        await writeTwice(2);

        // The old pool drained, then its lease was revoked: Vault dropped the old user.
        expect(await eventually(async () => !(await users()).includes(first), 10_000)).toBe(true);
        expect(await db.currentUser()).not.toBe(first);
        await writeTwice(3);
        expect(await rowsLabelled(`${group}-`)).toBe(6);

        await app.close();
        closed = true;
        await sleep(300);
        expect(await users()).toEqual([]);
      } finally {
        if (!closed) await app.close();
      }
    },
    60_000,
  );

  it('Knex before 3.3 (connection function): new connections follow; the ones open before stay on the old user', async () => {
    const { knexOnVault } = await written.load('pg-knex-connection');
    const app = await boot([
      VaultConfigModule.forRoot({
        sources: [{ type: 'dynamic', mount: 'database', path: 'creds/app', prefix: 'DB_' }],
        revokeOnShutdown: true,
      }) as unknown as Type,
    ]);
    const secrets = app.get<SecretsService>(SecretsService);
    const db = (knexOnVault as (s: SecretsService) => Knex)(secrets);
    const driver = knexDriver(db);
    try {
      const first = secrets.getOrThrow('DB_username');
      seen.push(secrets.getOrThrow('DB_password'));
      let second = '';
      const who = (user: string) => (user === first ? 'old' : user === second ? 'new' : user);
      /** Two transactions at once: two connections; each one's user, or 'failed'. */
      const twoAtOnce = async () =>
        (
          await Promise.allSettled(
            [0, 1].map(() =>
              db.transaction(async trx => {
                await sleep(100);
                const answer = await trx.raw<{ rows: [{ u: string }] }>('SELECT current_user AS u');
                return answer.rows[0].u;
              }),
            ),
          )
        )
          // A dropped user's session fails with 42704 or XX000 (invalid role OID), by statement.
          .map(r => (r.status === 'fulfilled' ? who(r.value) : 'failed'))
          .sort();
      expect(await twoAtOnce()).toEqual(['old', 'old']);

      second = await nextUser(secrets, first);
      // Knex refreshed its settings and dropped the one idle connection it checked; the other stays.
      expect(who(await driver.currentUser())).toBe('old');
      // A connection it opens now logs in as the new user.
      expect(await twoAtOnce()).toEqual(['new', 'old']);
      // Nothing drains the old connection: once Vault drops its user, its next statement fails.
      expect(await eventually(async () => !(await users()).includes(first), 10_000)).toBe(true);
      expect(await twoAtOnce()).toEqual(['failed', 'new']);
    } finally {
      await db.destroy();
      await app.close();
    }
  }, 60_000);
});
