import { VAULT_PLACEHOLDER } from '../../options/vault-config-options.defaults.js';
import type { ParsedEnvFile } from '../env-file/env-file-entry.interface.js';
import type { EnvFileWarning } from '../env-file/env-file-warnings.js';
import type { StayingKey } from './select-migration-keys.js';

const NEVER_MOVED = new Set(['vault-connection-setting', 'environment-name']);

/**
 * A `[VAULT]` placeholder for a key that never moves (an earlier migrate, or a hand edit, replaced
 * it): the module reads VAULT_* and NODE_ENV before Vault, so nothing can ever fill it in.
 */
export function placeholderWarnings(
  parsed: ParsedEnvFile,
  stay: readonly StayingKey[],
  file: string,
): EnvFileWarning[] {
  const neverMoved = new Set(stay.filter(s => NEVER_MOVED.has(s.reason)).map(s => s.key));
  return parsed.entries
    .filter(e => neverMoved.has(e.key) && parsed.values.get(e.key)?.trim() === VAULT_PLACEHOLDER)
    .filter((e, i, all) => all.findLastIndex(x => x.key === e.key) === i)
    .map(e => ({
      kind: 'placeholder-never-filled',
      key: e.key,
      lines: [e.line],
      message:
        `${file}, line ${e.line}: ${e.key} is ${VAULT_PLACEHOLDER}, but the module reads it ` +
        'before it can read Vault, so nothing fills it in: put its value back in the file',
    }));
}
