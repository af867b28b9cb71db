import type { AclPolicy } from './interfaces/acl-policy.interface.js';
import type { Capability } from './interfaces/capability.interface.js';
import type { PathRule } from './interfaces/path-rule.interface.js';
import { ROOT_POLICY_NAME } from './policy.constants.js';

/** Capabilities of one merged rule, as a bit set (mirrors Vault's `CapabilitiesBitmap`). */
type Bits = number;

const BIT: Readonly<Record<Capability, Bits>> = {
  deny: 1,
  create: 2,
  read: 4,
  update: 8,
  delete: 16,
  list: 32,
  sudo: 64,
  patch: 128,
};
const GRANTS = (Object.keys(BIT) as Capability[]).filter(name => name !== 'deny');

interface Candidate {
  readonly firstWildcard: number;
  readonly isPrefix: boolean;
  readonly wildcards: number;
  readonly pattern: string;
  readonly bits: Bits;
}

/**
 * The effective permissions of a token: its policies merged like Vault's `NewACL` and queried like
 * `ACL.Capabilities` / `ACL.AllowOperation` (`vault/acl.go`).
 *
 * - Rules with the same pattern, across all policies, merge into one: capabilities are unioned and a
 *   `deny` in any of them makes the merged rule deny.
 * - A path then uses exactly one merged rule, the most specific: exact, else the best of the longest
 *   `*` prefix and the matching `+` patterns. Less specific rules are not consulted at all, so
 *   `secret/*` granting read does not add to an exact `secret/a` rule granting list.
 */
export class Acl {
  private readonly exact = new Map<string, Bits>();
  private readonly prefixes = new Map<string, Bits>();
  private readonly segmentWildcards = new Map<string, Bits>();
  private readonly isRoot: boolean;

  static root(): Acl {
    return new Acl([{ name: ROOT_POLICY_NAME, raw: '', rules: [] }]);
  }

  constructor(policies: readonly AclPolicy[]) {
    this.isRoot = policies.some(policy => policy.name === ROOT_POLICY_NAME);
    for (const policy of policies) {
      for (const rule of policy.rules) this.merge(rule);
    }
  }

  /** What `sys/capabilities-self` answers for `path`: sorted names, `['deny']` when none, `['root']` for root. */
  capabilities(path: string): string[] {
    if (this.isRoot) return ['root'];
    // Vault evaluates this as a list operation, so the trailing-slash fallbacks apply.
    const bits = this.lookup(path, true) ?? 0;
    const names = GRANTS.filter(name => (bits & BIT[name]) !== 0);
    if ((bits & BIT.deny) !== 0 || names.length === 0) return ['deny'];
    return names.sort();
  }

  /** Whether a request needing `capability` on `path` passes the ACL (`deny` is never "allowed"). */
  allows(path: string, capability: Capability): boolean {
    if (this.isRoot) return true;
    if (capability === 'deny') return false;
    const bits = this.lookup(path, capability === 'list') ?? 0;
    return (bits & BIT.deny) === 0 && (bits & BIT[capability]) !== 0;
  }

  private merge(rule: PathRule): void {
    if (rule.templated) return; // no identity entities here, so templating fails and Vault skips the path
    const table = rule.hasSegmentWildcards
      ? this.segmentWildcards
      : rule.isPrefix
        ? this.prefixes
        : this.exact;
    const bits = rule.capabilities.reduce((sum, name) => sum | BIT[name], 0);
    const existing = table.get(rule.path);
    if (existing === undefined) table.set(rule.path, bits);
    else if ((existing & BIT.deny) === 0)
      table.set(rule.path, bits & BIT.deny ? BIT.deny : existing | bits);
  }

  private lookup(rawPath: string, isList: boolean): Bits | undefined {
    const path = rawPath.replace(/^\/+/, '');
    const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
    // List lookups retry without the trailing slash: exact rules before globs, and globs only when the
    // slashed path matched none (OpenBao 2.7.2's observed order; its newer source tries the trimmed glob first).
    return (
      this.exact.get(path) ??
      (isList ? this.exact.get(trimmed) : undefined) ??
      this.nonExact(path) ??
      (isList && path !== trimmed ? this.nonExact(trimmed) : undefined)
    );
  }

  /** Vault's `CheckAllowedFromNonExactPaths`: longest `*` prefix competes with every matching `+` pattern. */
  private nonExact(path: string): Bits | undefined {
    const candidates: Candidate[] = [];
    const prefix = this.longestPrefix(path);
    if (prefix !== undefined) {
      const bits = this.prefixes.get(prefix) as Bits;
      if (this.segmentWildcards.size === 0) return bits;
      candidates.push({
        firstWildcard: prefix.length,
        isPrefix: true,
        wildcards: 0,
        pattern: prefix,
        bits,
      });
    }
    const parts = path.split('/');
    for (const [fullPattern, bits] of this.segmentWildcards) {
      const candidate = matchSegmentPattern(fullPattern, parts, bits);
      if (candidate) candidates.push(candidate);
    }
    candidates.sort(byPriority);
    return candidates.at(-1)?.bits;
  }

  private longestPrefix(path: string): string | undefined {
    let best: string | undefined;
    for (const prefix of this.prefixes.keys()) {
      if (path.startsWith(prefix) && (best === undefined || prefix.length > best.length)) {
        best = prefix;
      }
    }
    return best;
  }
}

function matchSegmentPattern(
  fullPattern: string,
  parts: string[],
  bits: Bits,
): Candidate | undefined {
  if (fullPattern === '') return undefined;
  const isPrefix = fullPattern.endsWith('*');
  const pattern = isPrefix ? fullPattern.slice(0, -1) : fullPattern;
  const segments = pattern.split('/');
  if (parts.length < segments.length) return undefined;
  if (!isPrefix && segments.length !== parts.length) return undefined;
  let wildcards = 0;
  for (const [i, segment] of segments.entries()) {
    const part = parts[i];
    if (segment === '+') wildcards++;
    else if (segment === part) continue;
    else if (!(isPrefix && i === segments.length - 1 && part.startsWith(segment))) return undefined;
  }
  return { firstWildcard: fullPattern.indexOf('+'), isPrefix, wildcards, pattern, bits };
}

/** Ascending priority, exactly as the `less` function in Vault's `CheckAllowedFromNonExactPaths`. */
function byPriority(a: Candidate, b: Candidate): number {
  if (a.firstWildcard !== b.firstWildcard) return a.firstWildcard - b.firstWildcard;
  if (a.isPrefix !== b.isPrefix) return a.isPrefix ? -1 : 1;
  if (a.wildcards !== b.wildcards) return b.wildcards - a.wildcards;
  if (a.pattern.length !== b.pattern.length) return a.pattern.length - b.pattern.length;
  return a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0;
}
