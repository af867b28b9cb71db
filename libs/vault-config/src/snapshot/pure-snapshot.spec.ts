import { describe, expect, it } from '@jest/globals';
import { resolveEnvValues } from './env-fallback.js';
import { mergeByPrecedence, type VaultLayer } from './merge-by-precedence.js';
import { normalizeSecretValue, secretEntries } from './secret-value.js';
import { startupLogLine } from './startup-log-line.js';

const layer = (name: string, entries: Record<string, string>): VaultLayer => ({
  entries: new Map(Object.entries(entries)),
  describe: key => ({ key, source: 'vault', path: name }),
});

describe('mergeByPrecedence', () => {
  it('later source > earlier source > env > defaults', () => {
    const merged = mergeByPrecedence(
      [layer('a', { A: 'a1', B: 'a1' }), layer('b', { B: 'b1' })],
      new Map([
        ['B', { value: 'env', envVar: 'B' }],
        ['C', { value: 'env', envVar: 'C_OLD' }],
      ]),
      new Map([
        ['C', 'default'],
        ['D', 'default'],
      ]),
    );
    expect([...merged].map(([k, e]) => [k, e.value, e.description.source])).toEqual([
      ['A', 'a1', 'vault'],
      ['B', 'b1', 'vault'],
      ['C', 'env', 'env'],
      ['D', 'default', 'default'],
    ]);
    expect(merged.get('B')!.description.path).toBe('b');
    expect(merged.get('C')!.description.envVar).toBe('C_OLD');
  });
});

describe('resolveEnvValues', () => {
  it('reads only declared keys, tries aliases in order, and treats [VAULT] and empty as unset', () => {
    const hits = resolveEnvValues(
      ['A', 'B', 'C', '__proto__'],
      new Map([
        ['A', ['A_OLD']],
        ['B', ['B1', 'B2']],
      ]),
      { A: '[VAULT]', A_OLD: 'a', B: '', B1: ' [VAULT] ', B2: 'b2', OTHER: 'x' },
    );
    expect([...hits]).toEqual([
      ['A', { value: 'a', envVar: 'A_OLD' }],
      ['B', { value: 'b2', envVar: 'B2' }],
    ]);
  });
});

describe('value rule', () => {
  it('strings as-is, numbers/booleans String(), null unset, objects JSON', () => {
    expect(normalizeSecretValue('x')).toBe('x');
    expect(normalizeSecretValue(1.5)).toBe('1.5');
    expect(normalizeSecretValue(false)).toBe('false');
    expect(normalizeSecretValue(null)).toBeUndefined();
    expect(normalizeSecretValue({ a: [1, { b: null }] })).toBe('{"a":[1,{"b":null}]}');
    expect(normalizeSecretValue([1, 'x'])).toBe('[1,"x"]');
  });

  it('keeps __proto__, constructor and dotted names as flat data without pollution', () => {
    const data = JSON.parse(
      '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"a.b":"c","n":null}',
    ) as Record<string, unknown>;
    const entries = secretEntries(data, 'P_');
    expect([...entries]).toEqual([
      ['P___proto__', '{"polluted":1}'],
      ['P_constructor', '{"prototype":{"polluted":2}}'],
      ['P_a.b', 'c'],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect([...secretEntries(data, '', ['a.b', 'missing'])]).toEqual([['a.b', 'c']]);
  });
});

describe('startupLogLine', () => {
  const counts = {
    keys: 12,
    fromVault: 9,
    fromEnv: 2,
    fromDefaults: 1,
    sources: 3,
    durationMs: 14.2,
    authMethod: 'approle',
  };
  it('says counts, sources, time and auth method', () => {
    expect(startupLogLine('vault', counts)).toBe(
      'Loaded 12 secrets (9 vault, 2 env, 1 default) from 3 sources in 14 ms via approle',
    );
    expect(
      startupLogLine('fallback', counts, { address: 'http://v:8200', errorCode: 'ECONNREFUSED' }),
    ).toBe(
      "Vault unavailable at http://v:8200 (ECONNREFUSED): FALLBACK mode, loaded 12 secrets (2 env, 1 default) from environment and defaults in 14 ms (onUnavailable: 'fallback')",
    );
    expect(startupLogLine('disabled', counts)).toMatch(
      /^Vault disabled \(enabled: false\): loaded 12/,
    );
  });
});
