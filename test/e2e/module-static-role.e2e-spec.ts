/**
 * A database static role as a source of VaultConfigModule: Vault rotates the password every 5 s,
 * the module reads it again right after, and the app's pool (here: a login check, rebuilt on the
 * 'rotation' event as the README shows) keeps working. On OpenBao with a real PostgreSQL the new
 * password logs in and the old one no longer does; on the in-memory server the password is the
 * one static-creds answers.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SecretsService, type SecretsChangedEvent } from 'nestjs-vault-config';
import { expectNoCanary } from '../support/canary.js';
import { configureStaticRole } from '../support/database-engine.js';
import { bootHealthApp, getHealth } from '../support/health-app.js';
import { eventually, rootCall, tokenWithPolicy } from '../support/lifecycle-support.js';
import { CapturingLogger } from '../support/module-support.js';
import {
  describeDatabaseTargets,
  startPostgres,
  type PostgresServer,
} from '../support/postgres.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

describeDatabaseTargets('database static role (%s)', kind => {
  let target: VaultTarget;
  let pg: PostgresServer | undefined;
  let token: string;
  const logger = new CapturingLogger();
  const outputs: string[] = [];
  const passwords: string[] = [];

  beforeAll(async () => {
    target = await startTarget(kind);
    if (kind === 'bao') pg = await startPostgres();
    const app = await configureStaticRole(target, pg, {
      role: 'app',
      username: 'app_static',
      rotationPeriod: '5s',
    });
    passwords.push(app.initialPassword);
    token = await tokenWithPolicy(
      target,
      'static-app',
      'path "database/static-creds/app" { capabilities = ["read"] }\n',
    );
  }, 30_000);
  afterAll(async () => {
    await Promise.allSettled([pg?.stop(), target?.stop()]);
    expectNoCanary([...outputs, ...logger.lines], passwords);
  });

  /** What the app does with the credentials: log in (a pool would open its connections). */
  const logsIn = async (user: string, password: string): Promise<boolean> => {
    if (pg) return pg.canLogin(user, password);
    const now = await rootCall(target, 'GET', 'database/static-creds/app');
    return now?.data?.password === password;
  };

  it('a rotation by Vault reaches the app with a rotation event; the pool rebuilt on it keeps logging in', async () => {
    const app: INestApplication = await bootHealthApp(
      {
        address: target.url,
        auth: { method: 'token', token },
        sources: [{ type: 'static', mount: 'database', role: 'app', prefix: 'DB_' }],
        envFallback: false,
      },
      logger,
    );
    try {
      const secrets = app.get(SecretsService);
      const config = app.get(ConfigService);
      const first = secrets.getOrThrow('DB_password');
      passwords.push(first);
      expect(secrets.get('DB_username')).toBe('app_static');
      let pool = { user: secrets.getOrThrow('DB_username'), password: first };
      expect(await logsIn(pool.user, pool.password)).toBe(true);

      const events: SecretsChangedEvent[] = [];
      const rebuilt: boolean[] = [];
      secrets.onSecretsChanged(event => {
        events.push(event);
        if (!event.changes.some(c => c.key === 'DB_password')) return;
        pool = {
          user: secrets.getOrThrow('DB_username'),
          password: secrets.getOrThrow('DB_password'),
        };
        void logsIn(pool.user, pool.password).then(ok => rebuilt.push(ok));
      });

      // Every 5 s; OpenBao's rotation queue may add up to 5 s, the re-read a second or two.
      expect(await eventually(() => rebuilt.length > 0, 16_000)).toBe(true);
      expect(events[0].reason).toBe('rotation');
      expect(events[0].changes.map(c => `${c.key} ${c.change}`)).toEqual(['DB_password updated']);
      const second = secrets.getOrThrow('DB_password');
      passwords.push(second);
      expect(second).not.toBe(first);
      expect(config.get('DB_password')).toBe(second);
      expect(rebuilt[0]).toBe(true);
      if (pg) expect(await pg.canLogin('app_static', first)).toBe(false);

      const health = await getHealth(app, outputs);
      expect(health.status).toBe(200);
      outputs.push(JSON.stringify(events), inspect(secrets), inspect(config));
      expect(logger.lines.join('\n')).toContain(
        'Vault secrets changed (rotation): 1 key(s): DB_password updated',
      );
    } finally {
      await app.close();
    }
  }, 30_000);
});
