import { randomBytes } from 'node:crypto';
import type { VaultClient } from '../../client/vault.client.js';
import type { ResolvedVaultConfigOptions } from '../../options/resolved-vault-config-options.interface.js';
import { policyOptionsOf } from '../../policy/policy-options.interface.js';
import type { PolicyRule } from '../../policy/policy-rule.interface.js';
import { policyRulesFor } from '../../policy/policy-rules.js';
import { CLI_NAME } from '../cli.constants.js';
import { can, capabilitiesOf, policyFix } from './capabilities-self.js';
import type { DoctorCheck } from './doctor-check.interface.js';

const CHECK = 'policy';
/** The made-up name probed beside the module's paths; shown as `<any other name>`. */
const PROBE_PREFIX = 'vault-config-doctor-';
const PROBE = new RegExp(`${PROBE_PREFIX}[0-9a-f]{12}`, 'g');
const REPLACE = `replace the token's policy with the output of ${CLI_NAME} policy --config <file>`;

/**
 * `doctor --for-app`: the token's capabilities (sys/capabilities-self) on every path of the policy
 * `vault-config policy` prints for these options. A path without a capability the module needs
 * fails, with the block to add (a warning when the module copes without it, e.g. KV metadata).
 * Broader than needed warns: a needed path that allows more than the module uses, or a path under
 * a source's folder or mount that the module never asks for (a made-up name nothing can hold, so
 * a `path "secret/*"` shows without reading the token's policies, which an app token may not).
 */
export async function checkAppPolicy(
  client: VaultClient,
  resolved: ResolvedVaultConfigOptions,
): Promise<DoctorCheck[]> {
  const rules = policyRulesFor(policyOptionsOf(resolved));
  if (!rules.length) return [];
  const outside = outsidePaths(rules, resolved);
  const caps = await capabilitiesOf(client, [...rules.map(r => r.path), ...outside]);
  if (!caps) {
    return [
      {
        check: CHECK,
        status: 'warn',
        detail:
          'not compared with the generated policy: the token may not ask sys/capabilities-self ' +
          '(the default policy allows it; a token with only the generated policy may not)',
        fix: `run doctor --for-app with a token of the same policies plus default, or compare with ${CLI_NAME} policy`,
      },
    ];
  }
  const rows = rules.flatMap(rule => missingRow(rule, caps.get(rule.path)));
  const broader = [
    ...rules.flatMap(rule => extraOn(rule.path, caps.get(rule.path), rule.capabilities)),
    ...outside.flatMap(path =>
      extraOn(path, caps.get(path), []).map(phrase => phrase.replace(PROBE, '<any other name>')),
    ),
  ];
  if (broader.length) {
    rows.push({
      check: CHECK,
      status: 'warn',
      detail: `broader than needed: ${broader.join('; ')}`,
      fix: REPLACE,
    });
  }
  if (!rows.length) {
    rows.push({
      check: CHECK,
      status: 'ok',
      detail: `allows what the generated policy allows (${rules.length} paths), nothing broader found`,
      fix: '-',
    });
  }
  return rows;
}

function missingRow(rule: PolicyRule, caps: Set<string> | undefined): DoctorCheck[] {
  const lacking = rule.capabilities.filter(c => !can(caps, c));
  if (!lacking.length) return [];
  const serves = `${rule.servedOptions.join('; ')}: ${rule.why}`;
  const consequence = rule.withoutIt !== undefined ? `; without it ${rule.withoutIt}` : '';
  return [
    {
      check: CHECK,
      status: rule.withoutIt !== undefined ? 'warn' : 'fail',
      detail: `${rule.path}: no ${lacking.join(', ')} (${rule.step}: ${serves})${consequence}`,
      fix: policyFix(rule.path, [...rule.capabilities]),
    },
  ];
}

/** What `caps` allows beyond `needed` on `path`, as one phrase; none when nothing more. */
function extraOn(path: string, caps: Set<string> | undefined, needed: readonly string[]): string[] {
  if (!caps || caps.has('deny')) return [];
  const extra = [...caps].filter(c => !needed.includes(c)).sort();
  return extra.length ? [`${path} allows ${extra.join(', ')}`] : [];
}

/**
 * Paths the module never asks for, beside the ones it does: a made-up name in each source's
 * folder and at each source's mount (and under `data/` of a KV v2 mount).
 */
function outsidePaths(
  rules: readonly PolicyRule[],
  resolved: ResolvedVaultConfigOptions,
): string[] {
  const probe = `${PROBE_PREFIX}${randomBytes(6).toString('hex')}`;
  const needed = new Set(rules.map(r => r.path));
  const paths = new Set<string>();
  for (const source of resolved.sources) {
    paths.add(`${source.mount}/${probe}`);
    if (source.type === 'kv' && source.kv !== 1) paths.add(`${source.mount}/data/${probe}`);
  }
  for (const rule of rules) {
    const folder = rule.path.slice(0, rule.path.lastIndexOf('/'));
    if (folder && !folder.startsWith('auth/token') && !folder.startsWith('sys/')) {
      paths.add(`${folder}/${probe}`);
    }
  }
  return [...paths].filter(p => !needed.has(p));
}
