/**
 * The generated policy for dynamic database credentials with revokeOnShutdown, on real OpenBao and
 * PostgreSQL: a token holding only it boots, renews the lease (sys/leases/renew) and its token,
 * reports /health up and revokes lease and token on shutdown, nothing denied in the audit log;
 * without any one rule, a request on its path is denied. (KV and PKI shapes:
 * policy-least-privilege.e2e-spec.ts.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, it } from '@jest/globals';
import { configureDatabaseEngine } from '../support/database-engine.js';
import { uniq } from '../support/contract-helpers.js';
import { PolicyProof } from '../support/policy-proof.js';
import {
  describeDatabaseTargets,
  startPostgres,
  type PostgresServer,
} from '../support/postgres.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

describeDatabaseTargets('least-privilege policy for database credentials (%s)', kind => {
  // The in-memory server keeps no audit log of denials: OpenBao only.
  const onBao = kind === 'bao' ? it : it.skip;
  let t: VaultTarget;
  let pg: PostgresServer | undefined;
  let dir: string;
  let proof: PolicyProof;
  beforeAll(async () => {
    if (kind !== 'bao') return;
    t = await startTarget(kind);
    pg = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'policy-db-proof-'));
    proof = await PolicyProof.start(t, join(dir, 'audit.log'));
  });
  afterAll(async () => {
    await t?.stop();
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  onBao(
    'dynamic credentials with revokeOnShutdown: renewal, revocations',
    async () => {
      const db = await configureDatabaseEngine(t, pg, {
        mount: uniq('database'),
        role: 'app',
        defaultTtl: 2,
        maxTtl: 60,
      });
      await proof.prove(
        {
          revokeOnShutdown: true,
          sources: [{ type: 'dynamic', mount: db.mount, path: 'creds/app', prefix: 'DB_' }],
        },
        { refresh: false, waitFor: ['auth/token/renew-self', 'sys/leases/renew'] },
      );
    },
    60_000,
  );
});
