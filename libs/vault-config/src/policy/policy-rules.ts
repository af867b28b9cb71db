import type { PolicyOptions, PolicySource } from './policy-options.interface.js';
import type { PolicyCapability, PolicyRule, PolicyStep } from './policy-rule.interface.js';

/** Methods whose token the app was given: the module never revokes it. */
const GIVEN_TOKEN_METHODS: ReadonlySet<string> = new Set(['token', 'tokenFile']);

type Rule = Omit<PolicyRule, 'capabilities' | 'servedOptions'> & {
  capabilities: PolicyCapability[];
  servedOptions: string[];
};

/**
 * Every request the module makes with its token for these options, as policy rules: the source
 * reads (boot, refresh, re-issue), KV v2 metadata with `refresh.useMetadata`, lease renewal, the
 * revocations of `revokeOnShutdown`, and the token's own lookup (health) and renewal. Requests that
 * need no rule are left out: logins, `sys/health`, the unwrapping of a wrapped secret ID (with the
 * wrapping token) and `sys/internal/ui/mounts/<mount>` (answered for any capability under the
 * mount). Rules on one path are merged.
 */
export function policyRulesFor(options: PolicyOptions): PolicyRule[] {
  return policyRulesForEnvironments([{ options, label: '' }]);
}

/** The rules for the same options resolved for several environments (`{env}`), merged. */
export function policyRulesForEnvironments(
  perEnvironment: ReadonlyArray<{ options: PolicyOptions; label: string }>,
): PolicyRule[] {
  const rules = new Rules();
  for (const { options, label } of perEnvironment) addRules(rules, options, label);
  return rules.list();
}

function addRules(rules: Rules, options: PolicyOptions, label: string): void {
  if (!options.enabled) return;
  options.sources.forEach((source, i) =>
    sourceRules(rules, source, `sources[${i}]${label}`, options),
  );
  const dynamic = options.sources.some(s => s.type === 'dynamic');
  if (dynamic) {
    rules.add('sys/leases/renew', 'update', 'renewal', 'dynamic sources', 'renews their leases');
  }
  if (dynamic && options.revokeOnShutdown) {
    const why = 'revokes the leases of dynamic sources on shutdown';
    rules.add('sys/leases/revoke', 'update', 'revocation', 'revokeOnShutdown', why);
  }
  const lookupWhy = 'VaultHealthIndicator and the token lifecycle: is the token accepted, its TTL';
  rules.add('auth/token/lookup-self', 'read', 'health', 'auth', lookupWhy);
  if (options.renewToken) {
    const why = 'renews the token at about 2/3 of its TTL';
    rules.add('auth/token/renew-self', 'update', 'renewal', 'renewToken', why);
  }
  if (options.revokeOnShutdown && !GIVEN_TOKEN_METHODS.has(options.authMethod)) {
    const why = `revokes the token of its ${options.authMethod} login on shutdown`;
    rules.add('auth/token/revoke-self', 'update', 'revocation', 'revokeOnShutdown', why);
  }
}

function sourceRules(
  rules: Rules,
  source: PolicySource,
  name: string,
  options: PolicyOptions,
): void {
  const { mount, path } = source;
  switch (source.type) {
    case 'kv': {
      if (source.kv === 1) {
        rules.add(
          `${mount}/${path}`,
          'read',
          'boot',
          `${name} (KV v1)`,
          'reads it at boot and every refresh',
        );
        return;
      }
      const kv = source.kv === 2 ? 'KV v2' : "kv: 'auto', taken as KV v2";
      rules.add(
        `${mount}/data/${path}`,
        'read',
        'boot',
        `${name} (${kv})`,
        'reads it at boot and every refresh',
      );
      if (options.useMetadata) {
        const why = 'reads current_version before the data, at every refresh';
        rules.add(
          `${mount}/metadata/${path}`,
          'read',
          'refresh',
          `${name} with refresh.useMetadata`,
          why,
          'each refresh reads the data instead',
        );
      }
      return;
    }
    case 'dynamic':
      rules.add(
        `${mount}/${path}`,
        'read',
        'boot',
        `${name} (dynamic)`,
        'issues credentials at boot and when a lease runs out',
      );
      return;
    case 'pki':
      rules.add(
        `${mount}/${path}`,
        'update',
        'boot',
        `${name} (PKI)`,
        'issues a certificate at boot and at 2/3 of its lifetime',
      );
      if (options.revokeOnShutdown) {
        const why = 'revokes its certificate on shutdown';
        rules.add(`${mount}/revoke`, 'update', 'revocation', `${name} with revokeOnShutdown`, why);
      }
      return;
    case 'static':
      rules.add(
        `${mount}/${path}`,
        'read',
        'boot',
        `${name} (static role)`,
        'reads the credentials at boot and after each rotation',
      );
      return;
  }
}

/** Rules by path, in the order first added; a second rule on a path adds to the first. */
class Rules {
  readonly #byPath = new Map<string, Rule>();

  add(
    path: string,
    capability: PolicyCapability,
    step: PolicyStep,
    option: string,
    why: string,
    withoutIt?: string,
  ): void {
    const rule = this.#byPath.get(path);
    if (!rule) {
      const fallback = withoutIt !== undefined ? { withoutIt } : {};
      this.#byPath.set(path, {
        path,
        capabilities: [capability],
        step,
        servedOptions: [option],
        why,
        ...fallback,
      });
      return;
    }
    if (!rule.capabilities.includes(capability)) rule.capabilities.push(capability);
    if (!rule.servedOptions.includes(option)) rule.servedOptions.push(option);
  }

  list(): PolicyRule[] {
    return [...this.#byPath.values()].map(r => ({
      ...r,
      capabilities: [...r.capabilities].sort(),
    }));
  }
}
