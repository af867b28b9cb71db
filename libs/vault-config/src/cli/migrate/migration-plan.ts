import { VAULT_PLACEHOLDER } from '../../options/vault-config-options.defaults.js';
import type { Kv2Secret } from '../kv/kv2-secret.interface.js';
import { sameJsonValue } from '../kv/same-json-value.js';

export type MigrationMode = 'merge' | 'replace';

/** What a migration will do, by key name; the values stay inside `next`. */
export interface MigrationPlan {
  /** In the file, not in Vault. */
  readonly add: string[];
  /** In both, with a different value: the file's wins. */
  readonly change: string[];
  /** In both with the same value. */
  readonly keep: string[];
  /** `[VAULT]` in the file and present in Vault: already migrated. */
  readonly placeholders: string[];
  /** `[VAULT]` in the file but absent from Vault: nothing to migrate, the app will miss it. */
  readonly missingPlaceholders: string[];
  /** Empty in the file: not migrated. */
  readonly empty: string[];
  /** Only in Vault, kept (merge). */
  readonly vaultOnly: string[];
  /** Only in Vault, removed (replace). */
  readonly remove: string[];
  /** The data Vault should hold afterwards. */
  readonly next: ReadonlyMap<string, unknown>;
  /** False when Vault already holds `next`: nothing to write. */
  readonly writesVault: boolean;
  /** Keys whose file values Vault holds afterwards: what `--sanitize` replaces with `[VAULT]`. */
  readonly migrated: string[];
}

/**
 * Plans a migration of `keys` (in file order) from the file's `values` into `current`. `merge`
 * keeps keys that only Vault has; `replace` writes exactly the file's keys (a `[VAULT]` or empty
 * key keeps the value Vault already holds).
 */
export function planMigration(
  keys: readonly string[],
  values: ReadonlyMap<string, string>,
  current: Kv2Secret,
  mode: MigrationMode,
): MigrationPlan {
  const plan = {
    add: [] as string[],
    change: [] as string[],
    keep: [] as string[],
    placeholders: [] as string[],
    missingPlaceholders: [] as string[],
    empty: [] as string[],
    vaultOnly: [] as string[],
    remove: [] as string[],
  };
  const next = new Map<string, unknown>(mode === 'merge' ? current.data : []);
  const inFile = new Set(keys);
  for (const key of keys) {
    const value = values.get(key) ?? '';
    const held = current.data.has(key);
    if (value.trim() === VAULT_PLACEHOLDER || value === '') {
      if (value === '') plan.empty.push(key);
      else if (held) plan.placeholders.push(key);
      else plan.missingPlaceholders.push(key);
      if (held) next.set(key, current.data.get(key));
      continue;
    }
    if (!held) plan.add.push(key);
    else if (current.data.get(key) === value) plan.keep.push(key);
    else plan.change.push(key);
    next.set(key, value);
  }
  const onlyInVault = [...current.data.keys()].filter(k => !inFile.has(k)).sort();
  if (mode === 'merge') plan.vaultOnly.push(...onlyInVault);
  else plan.remove.push(...onlyInVault);

  const migrated = new Set([...plan.add, ...plan.change, ...plan.keep]);
  const same =
    current.exists &&
    next.size === current.data.size &&
    [...next].every(([k, v]) => current.data.has(k) && sameJsonValue(current.data.get(k), v));
  return {
    ...plan,
    next,
    writesVault: !same && (current.exists || next.size > 0),
    migrated: keys.filter(k => migrated.has(k)),
  };
}
