import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { SecretSnapshot } from './secret-snapshot.js';

const summary = {
  mode: 'vault' as const,
  authMethod: 'token' as const,
  sources: 1,
  keys: 2,
  fromVault: 2,
  fromEnv: 0,
  fromDefaults: 0,
  durationMs: 1,
  startupLogLine: 'Loaded 2 secrets',
};

describe('SecretSnapshot', () => {
  const snap = new SecretSnapshot<{ A: string; __proto__: string }>(
    [
      [
        'A',
        {
          value: 'canary-a',
          description: {
            key: 'A',
            source: 'vault',
            mount: 'secret',
            path: 'p',
            kvVersion: 2,
            version: 3,
          },
        },
      ],
      [
        '__proto__',
        {
          value: 'canary-b',
          description: { key: '__proto__', source: 'env', envVar: '__proto__' },
        },
      ],
    ],
    summary,
  );

  it('reads values and describes sources without values', () => {
    expect(snap.get('A')).toBe('canary-a');
    expect(snap.has('__proto__')).toBe(true);
    expect(snap.keys()).toEqual(['A', '__proto__']);
    expect(JSON.stringify(snap.describe())).not.toContain('canary');
    const config = snap.toConfigObject();
    expect(Object.getPrototypeOf(config)).toBeNull();
    expect(config.__proto__).toBe('canary-b');
    config.A = 'changed';
    expect(snap.get('A')).toBe('canary-a');
  });

  it('is immutable and redacted everywhere', () => {
    expect(Object.isFrozen(snap)).toBe(true);
    expect(Object.isFrozen(snap.summary)).toBe(true);
    for (const text of [
      inspect(snap, { depth: 10, showHidden: true }),
      JSON.stringify(snap),
      String(snap),
      // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- what is tested
      `${snap}`,
    ]) {
      expect(text).not.toContain('canary');
    }
    expect(inspect(snap)).toBe('[SecretSnapshot: 2 keys]');
  });
});
