import { describe, expect, it } from '@jest/globals';
import type { Kv2Secret } from '../kv/kv2-secret.interface.js';
import { planMigration } from './migration-plan.js';

const secret = (data: Record<string, unknown>, version = 3): Kv2Secret => ({
  exists: true,
  version,
  data: new Map(Object.entries(data)),
});
const none: Kv2Secret = { exists: false, version: 0, data: new Map() };

describe('planMigration', () => {
  const values = new Map([
    ['NEW', 'n'],
    ['CHANGED', 'c2'],
    ['SAME', 's'],
    ['PLACEHELD', '[VAULT]'],
    ['GHOST', '[VAULT]'],
    ['BLANK', ''],
  ]);
  const keys = [...values.keys()];
  const vault = secret({ CHANGED: 'c1', SAME: 's', PLACEHELD: 'p', BLANK: 'b', EXTRA: { n: 1 } });

  it('merge: adds and changes, keeps what only Vault has, never writes placeholders', () => {
    const plan = planMigration(keys, values, vault, 'merge');
    expect(plan).toMatchObject({
      add: ['NEW'],
      change: ['CHANGED'],
      keep: ['SAME'],
      placeholders: ['PLACEHELD'],
      missingPlaceholders: ['GHOST'],
      empty: ['BLANK'],
      vaultOnly: ['EXTRA'],
      remove: [],
      writesVault: true,
      migrated: ['NEW', 'CHANGED', 'SAME'],
    });
    expect(Object.fromEntries(plan.next)).toEqual({
      CHANGED: 'c2',
      SAME: 's',
      PLACEHELD: 'p',
      BLANK: 'b',
      EXTRA: { n: 1 },
      NEW: 'n',
    });
  });

  it('replace: writes the file keys only; placeholders and empties keep the Vault value', () => {
    const plan = planMigration(keys, values, vault, 'replace');
    expect(plan.remove).toEqual(['EXTRA']);
    expect(Object.fromEntries(plan.next)).toEqual({
      NEW: 'n',
      CHANGED: 'c2',
      SAME: 's',
      PLACEHELD: 'p',
      BLANK: 'b',
    });
  });

  it('writes nothing when Vault already holds the result (idempotence)', () => {
    const plan = planMigration(['A'], new Map([['A', '1']]), secret({ A: '1', B: 2 }), 'merge');
    expect(plan.writesVault).toBe(false);
    expect(plan.migrated).toEqual(['A']);
    expect(planMigration(['P'], new Map([['P', '[VAULT]']]), none, 'merge').writesVault).toBe(
      false,
    );
    expect(planMigration(['A'], new Map([['A', '1']]), none, 'merge').writesVault).toBe(true);
  });
});
