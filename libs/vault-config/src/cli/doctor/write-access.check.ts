import type { DoctorCheck } from './doctor-check.interface.js';
import type { DoctorFocus } from './doctor-focus.js';
import { can, policyFix } from './capabilities-self.js';
import type { SourcePaths } from './source-paths.interface.js';

/**
 * May `migrate`/`rotate` write this KV v2 source? Not asked with `--for-app`; a read-only token
 * warns only with `--for-cli` (the app itself needs only read).
 */
export function writeCheck(
  l: SourcePaths,
  caps: Map<string, Set<string>> | undefined,
  focus: DoctorFocus,
): DoctorCheck | undefined {
  // Only where the mount is known to be KV v2: migrate and rotate refuse anything else.
  if (focus === 'app' || l.kv !== 2 || l.kind !== 'kv2') return undefined;
  const name = `write ${l.source.mount}/${l.source.path}`;
  if (!caps) {
    return {
      check: name,
      status: focus === 'cli' ? 'warn' : 'ok',
      detail: 'unknown: the token may not call sys/capabilities-self',
      fix: focus === 'cli' ? 'allow sys/capabilities-self (the default policy does)' : '-',
    };
  }
  const data = caps.get(l.read);
  if (can(data, 'create') && can(data, 'update')) {
    const undo = can(data, 'delete')
      ? ''
      : '; no delete: a failed first migration of a new path cannot be undone by soft-delete';
    return {
      check: name,
      status: 'ok',
      detail: `migrate and rotate can write${undo}`,
      fix: undo ? policyFix(l.read, ['create', 'update', 'read', 'delete']) : '-',
    };
  }
  if (focus === 'cli') {
    return {
      check: name,
      status: 'warn',
      detail: 'read-only: migrate and rotate will fail here',
      fix: policyFix(l.read, ['create', 'update', 'read']),
    };
  }
  return {
    check: name,
    status: 'ok',
    detail: 'read-only, all the app needs (--for-cli checks what migrate and rotate need)',
    fix: '-',
  };
}
