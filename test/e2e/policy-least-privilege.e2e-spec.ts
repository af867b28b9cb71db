/**
 * The policy vaultPolicyFor prints is enough on its own and has nothing unused, on real OpenBao:
 * an AppRole token (wrapped secret ID) holding ONLY that policy, no `default`, lets the app boot,
 * refresh, renew its token, report /health up and revoke on shutdown with no request denied in
 * the audit log; without any one rule, some request of the module is denied. Shapes: KV v2 (kv
 * 'auto' and 2, {env}, refresh.useMetadata) + KV v1; PKI with revokeOnShutdown. (Dynamic database
 * credentials: policy-database.e2e-spec.ts.) OpenBao only: the in-memory server keeps no audit
 * log of denials.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, it } from '@jest/globals';
import { describeTargets, kv2Write, uniq } from '../support/contract-helpers.js';
import { rootCall } from '../support/lifecycle-support.js';
import { configurePki } from '../support/pki-engine.js';
import { PolicyProof } from '../support/policy-proof.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

describeTargets(
  'least-privilege policy from the options',
  kind => {
    let t: VaultTarget;
    let dir: string;
    let proof: PolicyProof;
    beforeAll(async () => {
      t = await startTarget(kind);
      dir = mkdtempSync(join(tmpdir(), 'policy-proof-'));
      proof = await PolicyProof.start(t, join(dir, 'audit.log'));
    });
    afterAll(async () => {
      await t?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('KV v2 (auto and 2, {env}, useMetadata) + KV v1, AppRole with a wrapped secret ID', async () => {
      const prefix = uniq('policy');
      const v1 = uniq('kv1');
      await rootCall(t, 'POST', `sys/mounts/${v1}`, { type: 'kv', options: { version: '1' } });
      await rootCall(t, 'POST', `${v1}/legacy`, { LEGACY: 'l' });
      await kv2Write(t, 'secret', `${prefix}/shared`, { SHARED: 's' });
      await kv2Write(t, 'secret', `${prefix}/apps/prod`, { APP: 'a' });
      await proof.prove(
        {
          env: 'prod',
          revokeOnShutdown: true,
          refresh: { intervalMs: 600_000, useMetadata: true },
          sources: [
            { mount: 'secret', path: `${prefix}/shared` },
            { mount: 'secret', path: `${prefix}/apps/{env}`, kv: 2 },
            { mount: v1, path: 'legacy', kv: 1 },
          ],
        },
        { refresh: true, waitFor: ['auth/token/renew-self'] },
      );
    }, 60_000);

    it('PKI with revokeOnShutdown', async () => {
      const pki = await configurePki(t, {
        mount: uniq('pki'),
        role: 'web',
        roleBody: { allowed_domains: ['example.com'], allow_subdomains: true, max_ttl: '1h' },
      });
      await proof.prove(
        {
          revokeOnShutdown: true,
          sources: [
            {
              type: 'pki',
              mount: pki.mount,
              role: 'web',
              commonName: 'app.example.com',
              ttl: '1h',
            },
          ],
        },
        { refresh: false, waitFor: ['auth/token/renew-self'] },
      );
    }, 60_000);
  },
  ['bao'],
);
