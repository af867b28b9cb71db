/**
 * Dynamic database credentials as a source of VaultConfigModule: the lease is renewed before it
 * expires, re-issued (new credentials, a change event) when max TTL stops renewal, and revoked on
 * shutdown with revokeOnShutdown. Runs against the in-memory server always, and against OpenBao
 * with a real PostgreSQL where the machine has one: there the issued user must really log in, and
 * be gone after shutdown.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { SecretsService, VaultConfigModule, type SecretsChangedEvent } from 'nestjs-vault-config';
import { inspect } from 'node:util';
import { configureDatabaseEngine } from '../support/database-engine.js';
import {
  describeDatabaseTargets,
  startPostgres,
  type PostgresServer,
} from '../support/postgres.js';
import { startTarget, vaultRequest, type VaultTarget } from '../support/vault-target.js';
import { eventually, tokenWithPolicy } from '../support/lifecycle-support.js';
import { CapturingLogger } from '../support/module-support.js';
import { expectNoCanary } from '../support/canary.js';

describeDatabaseTargets('dynamic database credentials (%s)', kind => {
  let target: VaultTarget;
  let pg: PostgresServer | undefined;
  let token: string;
  const logger = new CapturingLogger();
  const outputs: string[] = [];
  const issued: string[] = [];

  beforeAll(async () => {
    target = await startTarget(kind);
    if (kind === 'bao') pg = await startPostgres();
    await configureDatabaseEngine(target, pg, { role: 'app', defaultTtl: 3, maxTtl: 5 });
    token = await tokenWithPolicy(
      target,
      'db-app',
      'path "database/creds/app" { capabilities = ["read"] }\n' +
        'path "sys/leases/revoke" { capabilities = ["update"] }\n',
    );
  }, 30_000);
  afterAll(async () => {
    expectNoCanary([...outputs, ...logger.lines], issued);
    await pg?.stop();
    await target?.stop();
  });

  async function boot(revokeOnShutdown: boolean): Promise<INestApplicationContext> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        VaultConfigModule.forRoot({
          address: target.url,
          auth: { method: 'token', token },
          sources: [{ type: 'dynamic', mount: 'database', path: 'creds/app', prefix: 'DB_' }],
          envFallback: false,
          revokeOnShutdown,
        }),
      ],
    })
      .setLogger(logger)
      .compile();
    return moduleRef.init();
  }

  const leaseIds = async (): Promise<Set<string>> => {
    const res = await vaultRequest(target, 'LIST', 'sys/leases/lookup/database/creds/app');
    const keys = (res.body as { data?: { keys?: string[] } } | null)?.data?.keys ?? [];
    return new Set(keys.map(k => `database/creds/app/${k}`));
  };

  it('renews the lease, re-issues credentials when max TTL stops renewal, and tells listeners', async () => {
    const app = await boot(false);
    const secrets = app.get(SecretsService);
    const config = app.get(ConfigService);
    const first = { user: secrets.get('DB_username'), pass: secrets.get('DB_password') };
    expect(typeof first.user).toBe('string');
    expect(typeof first.pass).toBe('string');
    issued.push(first.pass as string);
    expect(secrets.describe().find(d => d.key === 'DB_password')).toMatchObject({
      source: 'vault',
      mount: 'database',
      path: 'creds/app',
      dynamic: true,
    });
    if (pg) expect(await pg.canLogin(first.user as string, first.pass as string)).toBe(true);
    const events: SecretsChangedEvent[] = [];
    secrets.onSecretsChanged(e => events.push(e));

    // TTL 3 s, max 5 s: renewed at ~2 s (full 3 s granted), capped at ~4 s, re-issued before 5 s.
    expect(await eventually(() => events.length > 0, 8000)).toBe(true);
    const second = { user: secrets.get('DB_username'), pass: secrets.get('DB_password') };
    issued.push(second.pass as string);
    expect(second.user).not.toBe(first.user);
    expect(config.get('DB_password')).toBe(second.pass);
    expect(events[0]?.reason).toBe('lease');
    expect(events[0]?.changes.map(c => `${c.key}:${c.change}:${c.dynamic}`).sort()).toEqual([
      'DB_password:updated:true',
      'DB_username:updated:true',
    ]);
    if (pg) expect(await pg.canLogin(second.user as string, second.pass as string)).toBe(true);
    expect(logger.lines.join('\n')).not.toMatch(/lease renewal failed/);
    outputs.push(JSON.stringify(events), inspect(secrets), inspect(config));
    await app.close();
  }, 20_000);

  it('revokeOnShutdown revokes the lease: the database user is gone', async () => {
    const existing = await leaseIds();
    const app = await boot(true);
    const secrets = app.get(SecretsService);
    const user = secrets.get('DB_username') as string;
    issued.push(secrets.get('DB_password') as string);
    const ours = [...(await leaseIds())].filter(id => !existing.has(id));
    expect(ours).toHaveLength(1);
    await app.close();
    const lookup = await vaultRequest(target, 'PUT', 'sys/leases/lookup', { lease_id: ours[0] });
    expect(lookup.status).toBe(400); // revoked: Vault no longer knows the lease
    if (pg) expect(await eventually(async () => !(await pg!.roleExists(user)), 3000)).toBe(true);
  }, 20_000);
});
