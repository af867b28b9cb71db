/**
 * Database static roles — the API a static-credentials source relies on: static-roles/<r>,
 * static-creds/<r>, rotate-role/<r> — on our server and on a real OpenBao with PostgreSQL, where
 * the suite also checks that each password Vault hands out logs in and the one it replaced does
 * not. Without PostgreSQL the real-server block skips (VAULT_TEST_REQUIRE_POSTGRES=1 fails).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  call,
  createToken,
  describeTargets,
  PERMISSION_DENIED_BODY,
  putPolicy,
  RFC3339,
  type Loose,
} from '../support/contract-helpers.js';
import {
  configureDatabaseEngine,
  configureStaticRole,
  type StaticRoleSetup,
} from '../support/database-engine.js';
import { findPostgres, startPostgres, type PostgresServer } from '../support/postgres.js';
import { selectedTargets, startTarget, type VaultTarget } from '../support/vault-target.js';

const PERIOD_S = 5;
/** OpenBao rotates from a queue it checks every 5 s: a due rotation may wait that long. */
const ROTATION_DEADLINE_MS = (PERIOD_S + 8) * 1000;

const realSelected = selectedTargets().includes('bao');
const pgBinaries = realSelected ? findPostgres() : undefined;
if (realSelected && !pgBinaries) {
  describe.skip('database static roles against PostgreSQL [bao]', () =>
    it.skip('needs PostgreSQL (scripts/install-postgres.sh)', () => undefined));
}

describeTargets(
  'database static roles',
  kind => {
    let t: VaultTarget | undefined;
    let pg: PostgresServer | undefined;
    let app: StaticRoleSetup;

    beforeAll(async () => {
      const [target, server] = await Promise.allSettled([
        startTarget(kind),
        kind === 'memory' ? Promise.resolve(undefined) : startPostgres(pgBinaries),
      ]);
      if (target.status === 'fulfilled') t = target.value;
      if (server.status === 'fulfilled') pg = server.value;
      if (target.status === 'rejected') throw target.reason;
      if (server.status === 'rejected') throw server.reason;
      app = await configureStaticRole(vault(), pg, {
        role: 'app',
        username: 'app_static',
        rotationPeriod: `${PERIOD_S}s`,
      });
    });
    afterAll(async () => {
      await Promise.allSettled([t?.stop(), pg?.stop()]);
    });

    const vault = (): VaultTarget => t as VaultTarget;
    const creds = async (token?: string): Promise<Loose> => {
      const res = await call(vault(), 'GET', app.credsPath, token === undefined ? {} : { token });
      expect(res.status).toBe(200);
      return res.body;
    };
    const logsIn = async (password: string) => (pg ? pg.canLogin(app.username, password) : true);
    /**
     * The answer once Vault rotated past `since`: ours right after its clock moved one period
     * (no waiting), a real server after polling in real time (its queue may add seconds).
     */
    const rotatedAfter = async (since: string): Promise<Loose> => {
      if (t?.memory) {
        t.memory.clock.advance(PERIOD_S * 1000);
        return creds();
      }
      const deadline = Date.now() + ROTATION_DEADLINE_MS;
      for (;;) {
        const body = await creds();
        if (body.data.last_vault_rotation !== since || Date.now() > deadline) return body;
        await new Promise(r => setTimeout(r, 250));
      }
    };

    it('hands out the password Vault set when it took the account over, with its rotation schedule', async () => {
      const body = await creds();
      expect(body).toMatchObject({ lease_id: '', renewable: false, lease_duration: 0 });
      expect(Object.keys(body.data).sort()).toEqual([
        'last_vault_rotation',
        'password',
        'rotation_period',
        'ttl',
        'username',
      ]);
      expect(body.data).toMatchObject({ username: 'app_static', rotation_period: PERIOD_S });
      expect(body.data.last_vault_rotation).toMatch(RFC3339);
      expect(body.data.ttl).toBeGreaterThanOrEqual(0);
      expect(body.data.ttl).toBeLessThanOrEqual(PERIOD_S);
      expect(body.data.password).toMatch(/^[A-Za-z0-9-]{20}$/);
      expect(body.data.password).not.toBe(app.initialPassword);
      if (pg) {
        expect(await logsIn(body.data.password)).toBe(true);
        expect(await logsIn(app.initialPassword)).toBe(false);
      }
      const role = await call(vault(), 'GET', 'database/static-roles/app');
      expect(role.body.data).toEqual({
        credential_type: 'password',
        db_name: app.connection,
        last_vault_rotation: body.data.last_vault_rotation,
        rotation_period: PERIOD_S,
        rotation_statements: [],
        username: 'app_static',
      });
      expect((await call(vault(), 'LIST', 'database/static-roles')).body.data.keys).toEqual([
        'app',
      ]);
    });

    it('rotates the password every rotation_period: the new one logs in, the old one no longer', async () => {
      const before = (await creds()).data;
      const after = (await rotatedAfter(before.last_vault_rotation)).data;
      expect(after.last_vault_rotation).not.toBe(before.last_vault_rotation);
      expect(Date.parse(after.last_vault_rotation)).toBeGreaterThan(
        Date.parse(before.last_vault_rotation),
      );
      expect(after.password).not.toBe(before.password);
      expect(after.ttl).toBeGreaterThan(0);
      expect(after.ttl).toBeLessThanOrEqual(PERIOD_S);
      if (pg) {
        expect(await logsIn(after.password)).toBe(true);
        expect(await logsIn(before.password)).toBe(false);
      }
    });

    it('rotate-role rotates now and restarts the period; changing rotation_period does not rotate', async () => {
      const before = (await creds()).data;
      const rotated = await call(vault(), 'POST', 'database/rotate-role/app');
      expect(rotated.status).toBe(204);
      const after = (await creds()).data;
      expect(after.password).not.toBe(before.password);
      expect(after.ttl).toBeGreaterThanOrEqual(PERIOD_S - 1);
      if (pg) {
        expect(await logsIn(after.password)).toBe(true);
        expect(await logsIn(before.password)).toBe(false);
      }
      const longer = await call(vault(), 'POST', 'database/static-roles/app', {
        body: { db_name: app.connection, username: 'app_static', rotation_period: '1h' },
      });
      expect(longer.status).toBe(204);
      const kept = (await creds()).data;
      expect(kept).toMatchObject({
        password: after.password,
        last_vault_rotation: after.last_vault_rotation,
        rotation_period: 3600,
      });
      expect(kept.ttl).toBeGreaterThan(3590);
    });

    it('validates a static role as Vault does', async () => {
      const write = async (name: string, body: Record<string, unknown>) =>
        call(vault(), 'POST', `database/static-roles/${name}`, { body });
      const base = { db_name: app.connection, username: 'app_static', rotation_period: '10s' };
      const short = await write('app', { ...base, rotation_period: '3s' });
      expect(short.status).toBe(400);
      expect(short.body).toEqual({ errors: ['rotation_period must be 5 seconds or more'] });
      expect((await write('x', { db_name: app.connection, username: 'u' })).body).toEqual({
        errors: ['rotation_period is required to create static accounts'],
      });
      expect((await write('x', { username: 'u', rotation_period: '10s' })).body).toEqual({
        errors: ['database name is a required field'],
      });
      expect((await write('x', { db_name: app.connection, rotation_period: '10s' })).body).toEqual({
        errors: ['username is a required field to create a static account'],
      });
      expect((await write('app', { ...base, username: 'someone_else' })).body).toEqual({
        errors: ['cannot update static account username'],
      });
      expect((await write('x', { ...base, rotation_period: 'abc' })).body).toEqual({
        errors: [
          'error converting input for field "rotation_period": time: invalid duration "abc"',
        ],
      });
      const unknownDb = await write('x', { ...base, db_name: 'nope' });
      expect(unknownDb.status).toBe(500);
      expect(unknownDb.body).toEqual({
        errors: [
          '1 error occurred:\n\t* failed to find entry for connection with name: "nope"\n\n',
        ],
      });
      const notAllowed = await write('other', base);
      expect(notAllowed.status).toBe(500);
      expect(notAllowed.body).toEqual({
        errors: ['1 error occurred:\n\t* "other" is not an allowed role\n\n'],
      });
    });

    it('keeps role names unique across dynamic and static roles; unknown roles answer as Vault does', async () => {
      const dynamic = await configureDatabaseEngine(vault(), pg, {
        role: 'dyn',
        defaultTtl: '1m',
        maxTtl: '2m',
      });
      const clash = await call(vault(), 'POST', 'database/static-roles/dyn', {
        body: { db_name: dynamic.connection, username: 'app_static', rotation_period: '10s' },
      });
      expect(clash.status).toBe(400);
      expect(clash.body).toEqual({ errors: ['Role and Static Role names must be unique'] });
      const reverse = await call(vault(), 'POST', 'database/roles/app', {
        body: { db_name: app.connection, creation_statements: ['SELECT 1'] },
      });
      expect(reverse.body).toEqual({ errors: ['Role and Static Role names must be unique'] });

      const unknown = await call(vault(), 'GET', 'database/static-creds/nope');
      expect(unknown.status).toBe(400);
      expect(unknown.body).toEqual({ errors: ['unknown role: nope'] });
      const rotate = await call(vault(), 'POST', 'database/rotate-role/nope');
      expect(rotate.status).toBe(400);
      expect(rotate.body).toEqual({ errors: ['no static role found for role name'] });
      expect((await call(vault(), 'GET', 'database/static-roles/nope')).status).toBe(404);
      expect((await call(vault(), 'POST', app.credsPath)).status).toBe(405);
    });

    it('least privilege: read on static-creds reads the password but may not rotate it', async () => {
      await putPolicy(vault(), 'static-app', `path "${app.credsPath}" { capabilities = ["read"] }`);
      const token = await createToken(vault(), { policies: ['static-app'], ttl: '1h' });
      const body = await creds(token);
      expect(body.data.username).toBe('app_static');
      const rotate = await call(vault(), 'POST', 'database/rotate-role/app', { token });
      expect(rotate.status).toBe(403);
      expect(rotate.body).toEqual(PERMISSION_DENIED_BODY);
    });

    it('deleting the static role ends it: static-creds then answers unknown role', async () => {
      const deleted = await call(vault(), 'DELETE', 'database/static-roles/app');
      expect(deleted.status).toBe(204);
      const res = await call(vault(), 'GET', app.credsPath);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: ['unknown role: app'] });
    });
  },
  pgBinaries ? ['memory', 'bao'] : ['memory'],
);
