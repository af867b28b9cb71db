import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import { formatPolicy } from './format-policy.js';
import type { PolicyOptions } from './policy-options.interface.js';
import type { PolicyRule } from './policy-rule.interface.js';
import { policyRulesForEnvironments } from './policy-rules.js';
import { readPolicyOptions } from './read-policy-options.js';

/**
 * The smallest Vault / OpenBao ACL policy (HCL) that lets `VaultConfigModule` do everything
 * `options` ask for: read each source (KV v2 data, KV v2 metadata with `refresh.useMetadata`,
 * KV v1, dynamic, PKI issue, static role), renew leases and its token, look its token up (health),
 * and revoke leases, certificates and its login token with `revokeOnShutdown`. Enough on its own,
 * without Vault's `default` policy; each block's comment names the option it serves. `{env}` is
 * replaced as the module does (`env`, else NODE_ENV, else `development`). The options the policy
 * depends on are checked as the module checks them (`VaultConfigOptionsError`); no address or
 * credential is needed. `TransitService` keys are not in it: see docs/policy.md.
 * @publicApi
 */
export function vaultPolicyFor(options: VaultConfigOptions): string {
  return policyFor([readPolicyOptions(options, process.env)]).hcl;
}

/**
 * The policy for the same options resolved for one or more environments (one entry each), merged;
 * `name` goes in the install line. @internal
 */
export function policyFor(
  perEnvironment: readonly PolicyOptions[],
  name?: string,
): { hcl: string; rules: PolicyRule[] } {
  const several = perEnvironment.length > 1;
  const rules = policyRulesForEnvironments(
    perEnvironment.map(options => ({ options, label: several ? ` (env ${options.env})` : '' })),
  );
  const environments = perEnvironment.map(p => p.env);
  const hcl = formatPolicy(rules, { environments, ...(name !== undefined ? { name } : {}) });
  return { hcl, rules };
}
