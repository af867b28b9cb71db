import type { SecretDescription } from '../interfaces/secret-description.interface.js';
import type { SnapshotEntry } from './secret-snapshot.js';

export interface VaultLayer {
  entries: ReadonlyMap<string, string>;
  describe(key: string): SecretDescription;
}

export interface EnvHit {
  value: string;
  envVar: string;
}

/**
 * Precedence, highest first: later Vault source > earlier Vault source > environment (declared keys
 * only, see resolveEnvValues) > defaults. Returns a new Map; inputs are not changed.
 */
export function mergeByPrecedence(
  layers: readonly VaultLayer[],
  env: ReadonlyMap<string, EnvHit>,
  defaults: ReadonlyMap<string, string>,
): Map<string, SnapshotEntry> {
  const merged = new Map<string, SnapshotEntry>();
  for (const layer of layers) {
    for (const [key, value] of layer.entries) {
      merged.set(key, { value, description: layer.describe(key) });
    }
  }
  for (const [key, hit] of env) {
    if (!merged.has(key)) {
      merged.set(key, {
        value: hit.value,
        description: { key, source: 'env', envVar: hit.envVar },
      });
    }
  }
  for (const [key, value] of defaults) {
    if (!merged.has(key)) merged.set(key, { value, description: { key, source: 'default' } });
  }
  return merged;
}
