/**
 * Proves a generated policy on a real OpenBao: an app whose AppRole token holds ONLY that policy
 * (token_no_default_policy) boots, refreshes, renews, reports /health and shuts down, and the
 * audit log shows which of its requests were denied. Each run has its own policy name, so the
 * entries of parallel runs are told apart by `auth.policies`.
 */
import { readFileSync } from 'node:fs';
import { expect } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { SecretsService, vaultPolicyFor, type VaultConfigOptions } from 'nestjs-vault-config';
import { policyRulesFor } from '../../libs/vault-config/src/policy/policy-rules.js';
import { readPolicyOptions } from '../../libs/vault-config/src/policy/read-policy-options.js';
import { call, uniq } from './contract-helpers.js';
import { bootHealthApp, getHealth } from './health-app.js';
import { eventually, rootCall } from './lifecycle-support.js';
import { CapturingLogger } from './module-support.js';
import type { VaultTarget } from './vault-target.js';

/** Any AppRole: `run` logs in with a role of its own (only the method matters to the policy). */
const APPROLE = { method: 'approle', roleId: 'given-at-run', secretId: 'given-at-run' } as const;

/** One audited request or response of the app's token. */
interface AuditEntry {
  type: 'request' | 'response';
  auth?: { policies?: string[] };
  request: { path: string; operation: string };
  error?: string;
}

export interface PolicyRun {
  /** `path operation` of every request the token made, in order. */
  readonly requests: string[];
  /** `path` of every request denied by the policy. */
  readonly denied: string[];
  /** `path` of every response with an error (denied or not): a revocation that failed shows here. */
  readonly failed: string[];
  readonly booted: boolean;
  readonly healthStatus?: number;
  readonly logLines: string[];
}

/** What the app does between boot and shutdown, to reach every step (refresh, renewal). */
export interface PolicyRunSteps {
  /** Audit paths (`path` of a response) to wait for before shutting down, e.g. renewals. */
  readonly waitFor: readonly string[];
  readonly refresh: boolean;
}

export class PolicyProof {
  constructor(
    readonly target: VaultTarget,
    readonly auditFile: string,
  ) {}

  /** Turns the file audit device on (OpenBao dev servers here allow it through the API). */
  static async start(target: VaultTarget, auditFile: string): Promise<PolicyProof> {
    const name = uniq('policy-audit');
    await rootCall(target, 'PUT', `sys/audit/${name}`, {
      type: 'file',
      options: { file_path: auditFile },
    });
    const mounts = await call(target, 'GET', 'sys/auth');
    if (!('approle/' in (mounts.body.data ?? mounts.body))) {
      await rootCall(target, 'POST', 'sys/auth/approle', { type: 'approle' });
    }
    return new PolicyProof(target, auditFile);
  }

  /**
   * Writes `hcl` as a new policy, makes an AppRole role whose tokens carry only it (2 s TTL, so
   * renewal comes soon), delivers a wrapped secret ID, and runs the app with `options` + that auth.
   */
  async run(hcl: string, options: VaultConfigOptions, steps: PolicyRunSteps): Promise<PolicyRun> {
    const policy = uniq('app-policy');
    const role = uniq('app-role');
    await rootCall(this.target, 'PUT', `sys/policies/acl/${policy}`, { policy: hcl });
    await rootCall(this.target, 'POST', `auth/approle/role/${role}`, {
      token_policies: [policy],
      token_no_default_policy: true,
      token_ttl: '2s',
      token_max_ttl: '1h',
    });
    const roleId = (await rootCall(this.target, 'GET', `auth/approle/role/${role}/role-id`))?.data
      ?.role_id as string;
    const wrapped = await call(this.target, 'POST', `auth/approle/role/${role}/secret-id`, {
      headers: { 'X-Vault-Wrap-TTL': '120s' },
    });
    const wrappingToken = wrapped.body.wrap_info.token as string;
    const logger = new CapturingLogger();
    const settings = {
      ...options,
      address: this.target.url,
      auth: {
        method: 'approle' as const,
        roleId,
        secretId: wrappingToken,
        secretIdWrapped: true,
        roleName: role,
      },
    };
    let app: INestApplication | undefined;
    let healthStatus: number | undefined;
    try {
      app = await bootHealthApp(settings, logger);
      if (steps.refresh)
        await app
          .get(SecretsService)
          .refresh()
          .catch(() => undefined);
      healthStatus = (await getHealth(app, [])).status;
      await eventually(() => {
        const seen = this.#entries(policy).map(e => e.request.path);
        return steps.waitFor.every(p => seen.includes(p));
      }, 5000);
    } catch {
      // A boot the policy does not allow: the audit log says which request was denied.
    } finally {
      await app?.close();
    }
    const all = this.#entries(policy);
    const entries = all.filter(e => e.type === 'request');
    return {
      requests: entries.map(e => `${e.request.path} ${e.request.operation}`),
      denied: entries.filter(e => e.error?.includes('permission denied')).map(e => e.request.path),
      failed: all.filter(e => e.type === 'response' && e.error).map(e => e.request.path),
      booted: app !== undefined,
      ...(healthStatus !== undefined ? { healthStatus } : {}),
      logLines: logger.lines,
    };
  }

  /**
   * The policy of `options` (with AppRole auth) is enough: boot, health up, the steps reached, no
   * request failed; every rule was used; and without any one rule, a request on its path is denied
   * (the rule's step is named in a failure). All runs at once: each waits on timers, not CPU.
   */
  async prove(options: VaultConfigOptions, steps: PolicyRunSteps): Promise<void> {
    const withAuth = { ...options, auth: APPROLE };
    const hcl = vaultPolicyFor(withAuth);
    const rules = policyRulesFor(readPolicyOptions(withAuth, {}));
    // One capability per rule: removing a capability is removing the rule.
    for (const rule of rules) expect(rule.capabilities).toHaveLength(1);
    const [full, ...without] = await Promise.all([
      this.run(hcl, options, steps),
      ...rules.map(rule => this.run(withoutRule(hcl, rule.path), options, steps)),
    ]);
    expect({ booted: full?.booted, health: full?.healthStatus, failed: full?.failed }).toEqual({
      booted: true,
      health: 200,
      failed: [],
    });
    for (const path of steps.waitFor) expect(full?.requests.join('\n')).toContain(path);
    for (const rule of rules) {
      expect({
        used: rule.path,
        requested: full?.requests.some(r => r.startsWith(`${rule.path} `)),
      }).toEqual({ used: rule.path, requested: true });
    }
    rules.forEach((rule, i) => {
      const denied = without[i]?.denied.includes(rule.path) ?? false;
      expect({ removed: rule.path, step: rule.step, denied }).toEqual({
        removed: rule.path,
        step: rule.step,
        denied: true,
      });
    });
  }

  #entries(policy: string): AuditEntry[] {
    return readFileSync(this.auditFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(line => JSON.parse(line) as AuditEntry)
      .filter(e => e.auth?.policies?.includes(policy) === true);
  }
}

/** The HCL without one `path` block (its comment line goes with it). */
export function withoutRule(hcl: string, path: string): string {
  const block = new RegExp(
    `# [^\\n]*\\npath "${path.replace(/[/.*+?^${}()|[\]\\]/g, '\\$&')}" \\{[^}]*\\}\\n`,
  );
  const out = hcl.replace(block, '');
  if (out === hcl) throw new Error(`no block for ${path}`);
  return out;
}
