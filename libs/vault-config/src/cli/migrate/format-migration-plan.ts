import { safeText } from '../../utils/safe-text.js';
import type { MigrationPlan } from './migration-plan.js';
import { STAY_REASON_TEXT, type StayingKey } from './select-migration-keys.js';

/**
 * The plan's lines, one per key, never a value: what moves (add, change, keep), what is skipped or
 * warned about, what stays in the file and why, and what happens to keys only Vault has. Key names
 * may come from Vault: each goes through safeText.
 */
export function formatMigrationPlan(plan: MigrationPlan, stay: readonly StayingKey[]): string[] {
  const line = (label: string, key: string, note = '') =>
    `  ${label.padEnd(7)} ${safeText(key, 120)}${note ? `  (${note})` : ''}`;
  return [
    ...plan.add.map(k => line('add', k)),
    ...plan.change.map(k => line('change', k)),
    ...plan.keep.map(k => line('keep', k, 'same value')),
    ...plan.placeholders.map(k => line('skip', k, 'already [VAULT] in the file')),
    ...plan.empty.map(k => line('skip', k, 'empty in the file')),
    ...plan.missingPlaceholders.map(k => line('warn', k, '[VAULT] in the file but not in Vault')),
    ...stay.map(s => line('stay', s.key, STAY_REASON_TEXT[s.reason])),
    ...plan.vaultOnly.map(k => line('keep', k, 'only in Vault')),
    ...plan.remove.map(k => line('remove', k, 'only in Vault; --replace')),
  ];
}
