/**
 * The Vault API shapes a dynamic-database-credentials source relies on: read `<mount>/creds/<role>`,
 * renew with `sys/leases/renew`, look up with `sys/leases/lookup`, revoke with `sys/leases/revoke`.
 * On a real OpenBao the credentials come from a real PostgreSQL (test/support/postgres.ts), and the
 * suite also checks the database side: the user can log in, renewals move its VALID UNTIL, revoke
 * drops it. Without PostgreSQL the real-server block skips (VAULT_TEST_REQUIRE_POSTGRES=1 fails).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  call,
  createToken,
  describeTargets,
  ENVELOPE_KEYS,
  PERMISSION_DENIED_BODY,
  putPolicy,
  RFC3339,
  type CallResult,
  type Loose,
} from '../support/contract-helpers.js';
import { configureDatabaseEngine, type DatabaseEngineSetup } from '../support/database-engine.js';
import {
  findPostgres,
  sqlLiteral,
  startPostgres,
  type PostgresServer,
} from '../support/postgres.js';
import { selectedTargets, startTarget, type VaultTarget } from '../support/vault-target.js';

const DEFAULT_TTL = 60;
const MAX_TTL = 120;
/** Vault's database plugin sets VALID UNTIL 5 s past the lease end, so the lease expires first. */
const VALID_UNTIL_MARGIN_MS = 5_000;

const realSelected = selectedTargets().includes('bao');
const pgBinaries = realSelected ? findPostgres() : undefined;
if (realSelected && !pgBinaries) {
  describe.skip('database creds against PostgreSQL [bao]', () =>
    it.skip('needs PostgreSQL (scripts/install-postgres.sh)', () => undefined));
}

describeTargets(
  'database creds and sys/leases',
  kind => {
    let t: VaultTarget | undefined;
    let pg: PostgresServer | undefined;
    let app: DatabaseEngineSetup;
    let short: DatabaseEngineSetup;

    beforeAll(async () => {
      const [target, server] = await Promise.allSettled([
        startTarget(kind),
        kind === 'memory' ? Promise.resolve(undefined) : startPostgres(pgBinaries),
      ]);
      if (target.status === 'fulfilled') t = target.value;
      if (server.status === 'fulfilled') pg = server.value;
      if (target.status === 'rejected') throw target.reason;
      if (server.status === 'rejected') throw server.reason;
      const vault = t as VaultTarget;
      app = await configureDatabaseEngine(vault, pg, {
        role: 'app',
        defaultTtl: '1m',
        maxTtl: '2m',
      });
      short = await configureDatabaseEngine(vault, pg, { role: 'short', defaultTtl: 3, maxTtl: 4 });
    });
    afterAll(async () => {
      await Promise.allSettled([t?.stop(), pg?.stop()]);
    });

    const vault = (): VaultTarget => t as VaultTarget;
    const issue = async (path = app.credsPath, token?: string): Promise<Loose> => {
      const res = await call(vault(), 'GET', path, token === undefined ? {} : { token });
      expect(res.status).toBe(200);
      return res.body;
    };
    const lease = (
      action: 'renew' | 'lookup' | 'revoke',
      body: Record<string, unknown>,
      token?: string,
    ) =>
      call(
        vault(),
        'PUT',
        `sys/leases/${action}`,
        token === undefined ? { body } : { body, token },
      );
    /** Real time on a real server, the test clock on ours. */
    const elapse = async (ms: number): Promise<void> => {
      if (t?.memory) t.memory.clock.advance(ms);
      else await new Promise(r => setTimeout(r, ms));
    };
    const validUntilMs = async (user: string): Promise<number> =>
      1000 *
      Number(
        await (pg as PostgresServer).query(
          `SELECT extract(epoch FROM rolvaliduntil) FROM pg_roles WHERE rolname = ${sqlLiteral(user)}`,
        ),
      );

    it('issues credentials under a renewable lease of the role default TTL', async () => {
      const before = Date.now();
      const res = await call(vault(), 'GET', app.credsPath);
      expect(res.status).toBe(200);
      for (const key of ENVELOPE_KEYS) expect(res.body).toHaveProperty(key);
      expect(res.body).toMatchObject({
        renewable: true,
        lease_duration: DEFAULT_TTL,
        warnings: null,
        auth: null,
      });
      expect(res.body.lease_id).toMatch(/^database\/creds\/app\/[A-Za-z0-9]{24}$/);
      const { username, password } = res.body.data;
      expect(Object.keys(res.body.data).sort()).toEqual(['password', 'username']);
      expect(username).toMatch(/^v-[a-z0-9]+-app-[A-Za-z0-9]{20}-\d{10}$/);
      expect(username.length).toBeLessThanOrEqual(63);
      expect(typeof password).toBe('string');
      expect(password.length).toBeGreaterThanOrEqual(16);
      if (pg) {
        expect(await pg.canLogin(username, password)).toBe(true);
        expect(await pg.canLogin(username, `${password}x`)).toBe(false);
        const validUntil = await validUntilMs(username);
        expect(validUntil).toBeGreaterThanOrEqual(before + DEFAULT_TTL * 1000 - 1000);
        expect(validUntil).toBeLessThanOrEqual(
          Date.now() + DEFAULT_TTL * 1000 + VALID_UNTIL_MARGIN_MS + 1000,
        );
      }
    });

    it('renews by the increment asked, by the role default without one, and caps at max TTL with a warning', async () => {
      const issued = await issue();
      const id = issued.lease_id as string;
      const renewed = (res: CallResult, ttl: number) => {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          lease_id: id,
          renewable: true,
          lease_duration: ttl,
          data: null,
          auth: null,
        });
      };
      const asked = await lease('renew', { lease_id: id, increment: 30 });
      renewed(asked, 30);
      expect(asked.body.warnings).toBeNull();
      renewed(await lease('renew', { lease_id: id }), DEFAULT_TTL);

      const capped = await lease('renew', { lease_id: id, increment: '1h' });
      expect(capped.status).toBe(200);
      const ttl = capped.body.lease_duration as number;
      expect(ttl).toBeLessThanOrEqual(MAX_TTL);
      expect(ttl).toBeGreaterThanOrEqual(MAX_TTL - 5);
      renewed(capped, ttl);
      expect(capped.body.warnings).toEqual([
        `TTL of "1h" exceeded the effective max_ttl of "${shortDuration(ttl)}"; TTL value is capped accordingly`,
      ]);

      const lookup = await lease('lookup', { lease_id: id });
      expect(lookup.status).toBe(200);
      expect(lookup.body.data).toMatchObject({
        id,
        issue_time: expect.stringMatching(RFC3339),
        expire_time: expect.stringMatching(RFC3339),
        last_renewal: expect.stringMatching(RFC3339),
        renewable: true,
      });
      expect(lookup.body.data.ttl).toBeLessThanOrEqual(ttl);
      expect(lookup.body.data.ttl).toBeGreaterThanOrEqual(ttl - 2);
      const expireMs = Date.parse(lookup.body.data.expire_time);
      // Capped means: the lease now ends where its max TTL ends, counted from issue.
      expect(
        Math.abs(expireMs - Date.parse(lookup.body.data.issue_time) - MAX_TTL * 1000),
      ).toBeLessThan(1500);
      if (pg) {
        const validUntil = await validUntilMs(issued.data.username);
        expect(validUntil).toBeGreaterThanOrEqual(expireMs - 1000);
        expect(validUntil).toBeLessThanOrEqual(expireMs + VALID_UNTIL_MARGIN_MS + 1000);
      }
    });

    it('caps a renewal without increment near max TTL: shorter than the default, with a warning', async () => {
      const issued = await issue(short.credsPath);
      expect(issued.lease_duration).toBe(3);
      await elapse(2000);
      const res = await lease('renew', { lease_id: issued.lease_id });
      expect(res.status).toBe(200);
      const ttl = res.body.lease_duration as number;
      expect(ttl).toBeGreaterThanOrEqual(1);
      expect(ttl).toBeLessThanOrEqual(2);
      expect(res.body.warnings).toEqual([
        `TTL of "3s" exceeded the effective max_ttl of "${ttl}s"; TTL value is capped accordingly`,
      ]);
    });

    it('revokes: 204, then renew says lease not found, lookup invalid lease; the database user is gone', async () => {
      const issued = await issue();
      const id = issued.lease_id as string;
      if (pg) expect(await pg.roleExists(issued.data.username)).toBe(true);
      const revoked = await lease('revoke', { lease_id: id });
      expect(revoked.status).toBe(204);
      expect(revoked.text).toBe('');
      const renew = await lease('renew', { lease_id: id, increment: 30 });
      expect(renew.status).toBe(400);
      expect(renew.body).toEqual({ errors: ['lease not found'] });
      const lookup = await lease('lookup', { lease_id: id });
      expect(lookup.status).toBe(400);
      expect(lookup.body).toEqual({ errors: ['invalid lease'] });
      if (pg) {
        expect(await pg.roleExists(issued.data.username)).toBe(false);
        expect(await pg.canLogin(issued.data.username, issued.data.password)).toBe(false);
      }
    });

    describe('least privilege: read on database/creds/app plus the default policy', () => {
      let token: string;
      beforeAll(async () => {
        await putPolicy(
          vault(),
          'app-creds',
          'path "database/creds/app" { capabilities = ["read"] }',
        );
        token = await createToken(vault(), { policies: ['app-creds'], ttl: '1h' });
      });

      it('reads creds, renews and looks up its own lease, but may not revoke it', async () => {
        const issued = await issue(app.credsPath, token);
        const id = issued.lease_id as string;
        const renew = await lease('renew', { lease_id: id, increment: 30 }, token);
        expect(renew.status).toBe(200);
        expect(renew.body.lease_duration).toBe(30);
        const lookup = await lease('lookup', { lease_id: id }, token);
        expect(lookup.status).toBe(200);
        expect(lookup.body.data.id).toBe(id);

        const revoke = await lease('revoke', { lease_id: id }, token);
        expect(revoke.status).toBe(403);
        expect(revoke.body).toEqual(PERMISSION_DENIED_BODY);
        expect((await lease('lookup', { lease_id: id })).status).toBe(200);
        expect((await call(vault(), 'GET', short.credsPath, { token })).status).toBe(403);

        const caps = await call(vault(), 'POST', 'sys/capabilities-self', {
          token,
          body: { paths: ['sys/leases/renew', 'sys/leases/lookup', 'sys/leases/revoke'] },
        });
        expect(caps.status).toBe(200);
        expect(caps.body.data).toEqual({
          'sys/leases/renew': ['update'],
          'sys/leases/lookup': ['update'],
          'sys/leases/revoke': ['deny'],
        });
      });

      it('revokes its own lease once granted update on sys/leases/revoke; revoking the token revokes its leases', async () => {
        await putPolicy(
          vault(),
          'app-creds-revoke',
          'path "database/creds/app" { capabilities = ["read"] }\npath "sys/leases/revoke" { capabilities = ["update"] }',
        );
        const granted = await createToken(vault(), { policies: ['app-creds-revoke'], ttl: '1h' });
        const first = await issue(app.credsPath, granted);
        expect((await lease('revoke', { lease_id: first.lease_id }, granted)).status).toBe(204);
        expect((await lease('lookup', { lease_id: first.lease_id })).status).toBe(400);

        const second = await issue(app.credsPath, granted);
        const self = await call(vault(), 'POST', 'auth/token/revoke-self', { token: granted });
        expect(self.status).toBe(204);
        // Vault expires a revoked token's leases and revokes them in the background: poll, bounded.
        const deadline = Date.now() + 5000;
        let status = 200;
        while (status === 200 && Date.now() < deadline) {
          status = (await lease('lookup', { lease_id: second.lease_id })).status;
          if (status === 200) await new Promise(r => setTimeout(r, 100));
        }
        expect(status).toBe(400);
        if (pg) {
          let exists = true;
          while (exists && Date.now() < deadline + 5000) {
            exists = await pg.roleExists(second.data.username);
            if (exists) await new Promise(r => setTimeout(r, 100));
          }
          expect(exists).toBe(false);
        }
      });
    });
  },
  pgBinaries ? ['memory', 'bao'] : ['memory'],
);

/** Vault's short duration in TTL warnings: `1m55s`, `2m`, `45s`. */
function shortDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}` || '0s';
}
