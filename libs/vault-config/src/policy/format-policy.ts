import type { PolicyRule } from './policy-rule.interface.js';

const HEADER = [
  'Vault / OpenBao policy of an app on nestjs-vault-config: the smallest one for its options.',
  'Enough on its own: give it to a role with token_no_default_policy = true (no_default_policy).',
  'No block is needed for: the login (auth/<mount>/login); sys/health (sent without a token);',
  'a wrapped secret ID, looked up at sys/wrapping/lookup without a token and unwrapped at',
  'sys/wrapping/unwrap with the wrapping token, which carries its own response-wrapping policy;',
  "KV version detection (kv: 'auto'): Vault and OpenBao answer sys/internal/ui/mounts/<mount> to a",
  'token that holds any capability under the mount.',
  "A kv: 'auto' source is taken as KV v2: give kv: 1 for a KV v1 mount.",
];

export interface PolicyHeader {
  /** The policy's name, for the `policy write` line. */
  readonly name?: string;
  /** The environments `{env}` was replaced with. */
  readonly environments: readonly string[];
}

/** The rules as HCL: a header, then one commented `path` block per rule. */
export function formatPolicy(rules: readonly PolicyRule[], header: PolicyHeader): string {
  const lines = [...HEADER];
  lines.push(`{env} in source paths: ${header.environments.join(', ')}.`);
  if (header.name !== undefined) {
    lines.push(`Install: vault policy write ${header.name} <this file> (or bao policy write).`);
  }
  const blocks = rules.map(rule => {
    const caps = rule.capabilities.map(c => `"${c}"`).join(', ');
    return (
      `# ${rule.servedOptions.join('; ')}: ${rule.why} (${rule.step})\n` +
      `path "${rule.path}" {\n  capabilities = [${caps}]\n}\n`
    );
  });
  const head = lines.map(l => `# ${l}`).join('\n');
  return `${head}\n${blocks.length ? `\n${blocks.join('\n')}` : '\n# Vault is not used (enabled: false): no rule.\n'}`;
}
