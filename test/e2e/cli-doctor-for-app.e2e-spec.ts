/**
 * `vault-config doctor --for-app` compares the token's policy with the one `vault-config policy`
 * prints for the same options file: a token lacking one block fails with the block to add; a
 * token whose policy is `path "secret/*"` warns that it is broader than needed; a token with the
 * generated policy (and `default`, which lets it ask sys/capabilities-self) is ok.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { cli, plantedInCliOutput, tempDir } from '../support/cli-support.js';
import { canary } from '../support/canary.js';
import {
  createToken,
  describeTargets,
  kv2Write,
  putPolicy,
  uniq,
} from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

interface Check {
  check: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix: string;
}

describeTargets(
  'vault-config doctor --for-app: the token policy against the generated one',
  kind => {
    let t: VaultTarget;
    const tmp = tempDir();
    const planted = plantedInCliOutput();
    let prefix: string;
    let generated: string;

    const doctorWith = async (hcl: string, defaultPolicy = true) => {
      const policy = uniq('for-app');
      await putPolicy(t, policy, hcl);
      const token = await createToken(t, {
        policies: [policy],
        no_default_policy: !defaultPolicy,
        ttl: '1h',
      });
      planted.tokens.push(token);
      const r = await cli(['doctor', '--config', 'app.json', '--for-app', '--json'], {
        env: { VAULT_ADDR: t.url, VAULT_TOKEN: token },
        cwd: tmp.dir,
      });
      const checks = (JSON.parse(r.stdout) as { checks: Check[] }).checks;
      return { code: r.code, policy: checks.filter(c => c.check === 'policy') };
    };

    beforeAll(async () => {
      t = await startTarget(kind);
      prefix = uniq('for-app');
      for (const name of ['a', 'b']) {
        const value = canary(`for-app-${name}`);
        planted.canaries.push(value);
        await kv2Write(t, 'secret', `${prefix}/${name}`, { [name.toUpperCase()]: value });
      }
      writeFileSync(
        join(tmp.dir, 'app.json'),
        JSON.stringify({
          sources: [
            { mount: 'secret', path: `${prefix}/a` },
            { mount: 'secret', path: `${prefix}/b` },
          ],
        }),
      );
      const printed = await cli(['policy', '--config', 'app.json'], { env: {}, cwd: tmp.dir });
      expect(printed.code).toBe(0);
      generated = printed.stdout;
    });
    afterAll(async () => {
      await t?.stop();
      tmp.cleanup();
    });

    it('the generated policy is ok', async () => {
      const r = await doctorWith(generated);
      expect(r.code).toBe(0);
      expect(r.policy).toEqual([
        {
          check: 'policy',
          status: 'ok',
          detail: 'allows what the generated policy allows (4 paths), nothing broader found',
          fix: '-',
        },
      ]);
    });

    it('a policy lacking one block fails with the block to add', async () => {
      const lacking = generated.replace(
        new RegExp(`# [^\\n]*\\npath "secret/data/${prefix}/b" \\{[^}]*\\}\\n`),
        '',
      );
      expect(lacking).not.toBe(generated);
      const r = await doctorWith(lacking);
      expect(r.code).toBe(1);
      expect(r.policy).toEqual([
        {
          check: 'policy',
          status: 'fail',
          detail: `secret/data/${prefix}/b: no read (boot: sources[1] (kv: 'auto', taken as KV v2): reads it at boot and every refresh)`,
          fix: `add to the token's policy: path "secret/data/${prefix}/b" { capabilities = ["read"] }`,
        },
      ]);
    });

    it('path "secret/*" warns: broader than needed', async () => {
      const r = await doctorWith(
        'path "secret/*" { capabilities = ["create", "read", "update", "delete", "list"] }\n',
      );
      expect(r.code).toBe(0);
      expect(r.policy).toHaveLength(1);
      expect(r.policy[0]).toMatchObject({ check: 'policy', status: 'warn' });
      expect(r.policy[0]?.detail).toContain(
        `broader than needed: secret/data/${prefix}/a allows create, delete, list, update`,
      );
      expect(r.policy[0]?.detail).toMatch(/secret\/<any other name> allows create/);
      expect(r.policy[0]?.fix).toContain('vault-config policy --config');
    });

    it('a token without the default policy may not ask: a warning says how to check', async () => {
      const r = await doctorWith(generated, false);
      expect(r.policy).toHaveLength(1);
      expect(r.policy[0]).toMatchObject({ check: 'policy', status: 'warn' });
      expect(r.policy[0]?.detail).toContain('may not ask sys/capabilities-self');
    });
  },
);
