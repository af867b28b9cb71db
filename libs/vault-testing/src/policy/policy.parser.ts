import { HclSyntaxError } from './errors/hcl-syntax.error.js';
import { PolicyParseError } from './errors/policy-parse.error.js';
import type { HclItem, HclValue } from './hcl/hcl-node.interface.js';
import { parseHcl } from './hcl/hcl.parser.js';
import { parseJsonAsHcl } from './hcl/json-to-hcl.js';
import type { AclPolicy } from './interfaces/acl-policy.interface.js';
import type { Capability } from './interfaces/capability.interface.js';
import type { PathRule } from './interfaces/path-rule.interface.js';
import { ROOT_POLICY_NAME } from './policy.constants.js';

const TOP_LEVEL_KEYS = new Set(['name', 'path']);
/** Keys Vault accepts inside a path block; all but `capabilities` and `policy` are accepted and ignored. */
const RULE_KEYS = new Set([
  'comment',
  'policy',
  'capabilities',
  'allowed_parameters',
  'denied_parameters',
  'required_parameters',
  'min_wrapping_ttl',
  'max_wrapping_ttl',
  'mfa_methods',
  'control_group',
  'expiration',
  'pagination_limit',
  'list_scan_response_keys_filter_path',
]);
const CAPABILITIES = new Set<string>([
  'create',
  'read',
  'update',
  'patch',
  'delete',
  'list',
  'sudo',
]);
/** The deprecated `policy = "..."` shorthand, expanded as Vault's `parsePaths` does. */
const LEGACY_POLICIES: ReadonlyMap<string, readonly Capability[]> = new Map([
  ['deny', ['deny']],
  ['read', ['read', 'list']],
  ['write', ['create', 'read', 'update', 'delete', 'list']],
  ['sudo', ['create', 'read', 'update', 'delete', 'list', 'sudo']],
]);

/**
 * Parses ACL policy text (HCL, or JSON when it starts with `{`) the way Vault's `ParseACLPolicy` does.
 * Throws {@link PolicyParseError} for anything Vault would refuse.
 */
export function parsePolicy(name: string, raw: string): AclPolicy {
  if (name.trim().toLowerCase() === ROOT_POLICY_NAME) {
    throw new PolicyParseError(`cannot update "${ROOT_POLICY_NAME}" policy`);
  }
  const items = parseDocument(raw);
  const rules: PathRule[] = [];
  for (const item of items) {
    const key = item.keys[0] ?? '';
    if (!TOP_LEVEL_KEYS.has(key)) {
      throw failure(`invalid key ${JSON.stringify(key)} on line ${item.line}`);
    }
    if (key === 'path')
      rules.push(...pathBlocks(item).map(([path, body]) => parseRule(path, body)));
  }
  return Object.freeze({ name, raw, rules: Object.freeze(rules) });
}

function parseDocument(raw: string): HclItem[] {
  try {
    return raw.trimStart().startsWith('{') ? parseJsonAsHcl(raw) : parseHcl(raw);
  } catch (error) {
    if (error instanceof HclSyntaxError) throw failure(error.message);
    throw error;
  }
}

/** `path "x" {...}` in HCL; `{"path": {"x": {...}}}` (or a list of such objects) in JSON. */
function pathBlocks(item: HclItem): Array<[string, HclValue]> {
  const label = item.keys[1];
  if (label !== undefined) return [[label, item.value]];
  const containers = item.value.kind === 'list' ? item.value.items : [item.value];
  return containers.flatMap(container => {
    if (container.kind !== 'object') throw failure(`path: expected an object of paths`);
    return container.items.map((entry): [string, HclValue] => [entry.keys[0] ?? '', entry.value]);
  });
}

function parseRule(pattern: string, body: HclValue): PathRule {
  const prefix = `path ${JSON.stringify(pattern)}:`;
  if (body.kind !== 'object') throw failure(`${prefix} expected an object, got ${body.kind}`);
  let capabilities: string[] = [];
  let legacy: string | undefined;
  for (const entry of body.items) {
    const key = entry.keys[0] ?? '';
    if (!RULE_KEYS.has(key)) {
      throw failure(`${prefix} invalid key ${JSON.stringify(key)} on line ${entry.line}`);
    }
    if (key === 'capabilities') capabilities = stringList(entry.value, prefix);
    if (key === 'policy') legacy = scalarString(entry.value, prefix);
  }

  const path = pattern.startsWith('/') ? pattern.slice(1) : pattern;
  if (path.includes('+*')) {
    throw failure(`${prefix} invalid use of wildcards ('+*' is forbidden)`);
  }
  const hasSegmentWildcards = path === '+' || path.includes('/+') || path.startsWith('+/');
  const isPrefix = path.endsWith('*') && !hasSegmentWildcards;

  if (legacy !== undefined) {
    const expanded = LEGACY_POLICIES.get(legacy);
    if (!expanded) throw failure(`${prefix} invalid policy ${JSON.stringify(legacy)}`);
    capabilities = legacy === 'deny' ? ['deny'] : [...capabilities, ...expanded];
  }
  const granted = new Set<Capability>();
  // Same order of checks as Vault: a `deny` ends validation, so `["deny", "bogus"]` parses.
  for (const capability of capabilities) {
    if (capability === 'deny') {
      granted.clear();
      granted.add('deny');
      break;
    }
    if (!CAPABILITIES.has(capability)) {
      throw failure(`${prefix} invalid capability ${JSON.stringify(capability)}`);
    }
    granted.add(capability as Capability);
  }

  return Object.freeze({
    path: isPrefix ? path.slice(0, -1) : path,
    isPrefix,
    hasSegmentWildcards,
    templated: /\{\{.*\}\}/.test(path),
    capabilities: Object.freeze([...granted]),
  });
}

function stringList(value: HclValue, prefix: string): string[] {
  if (value.kind !== 'list') throw failure(`${prefix} capabilities must be a list of strings`);
  return value.items.map(item => scalarString(item, prefix));
}

function scalarString(value: HclValue, prefix: string): string {
  if (value.kind === 'string') return value.value;
  if (value.kind === 'number') return value.text;
  throw failure(`${prefix} expected a string, got ${value.kind}`);
}

function failure(detail: string): PolicyParseError {
  return new PolicyParseError(`failed to parse policy: ${detail}`);
}
