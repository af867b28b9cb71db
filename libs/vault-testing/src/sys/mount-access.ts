import type { Acl, AclPolicy } from '../policy/index.js';

/**
 * Vault's check behind `sys/internal/ui/mounts/<path>`: the token may see a mount when any rule of
 * its policies grants something under it (or a glob above it covers it).
 */
export function hasAccessUnder(
  acl: Acl,
  policies: ReadonlyArray<AclPolicy | undefined>,
  mountPath: string,
): boolean {
  if (acl.capabilities(mountPath).some(c => c !== 'deny')) return true;
  for (const policy of policies) {
    for (const rule of policy?.rules ?? []) {
      if (rule.templated) continue;
      if (rule.capabilities.length === 1 && rule.capabilities[0] === 'deny') continue;
      const pattern = rule.path;
      if (rule.hasSegmentWildcards) {
        if (segmentsCouldMatch(pattern, mountPath)) return true;
        continue;
      }
      if (pattern.startsWith(mountPath)) return true;
      if (rule.isPrefix && mountPath.startsWith(pattern)) return true;
    }
  }
  return false;
}

function segmentsCouldMatch(pattern: string, mountPath: string): boolean {
  const mountParts = mountPath.replace(/\/$/, '').split('/');
  const parts = pattern.replace(/\*$/, '').split('/');
  for (let i = 0; i < mountParts.length; i++) {
    const part = parts[i];
    if (part === undefined) return pattern.endsWith('*');
    if (part !== '+' && part !== mountParts[i]) {
      return i === parts.length - 1 && pattern.endsWith('*') && mountParts[i].startsWith(part);
    }
  }
  return true;
}
