import { describe, expect, it, jest } from '@jest/globals';
import type { Report } from './option-reader.js';
import { validateEnvFallbackOptions } from './validate-env-fallback-options.js';

const resolve = (raw: Record<string, unknown>) => {
  const report = jest.fn<Report>();
  return { ...validateEnvFallbackOptions(raw, report), problems: report.mock.calls };
};

describe('validateEnvFallbackOptions', () => {
  it('falls back to the environment unless envFallback is false; no defaults by default', () => {
    expect(resolve({})).toEqual({
      envFallback: { aliases: new Map() },
      defaults: new Map(),
      problems: [],
    });
    expect(resolve({ envFallback: true }).envFallback).toEqual({ aliases: new Map() });
    expect(resolve({ envFallback: false }).envFallback).toBe(false);
  });

  it('reads aliases and scalar defaults', () => {
    const r = resolve({
      envFallback: { aliases: { DB_URL: ['DATABASE_URL', 'PG_URL'] } },
      defaults: { PORT: 3000, DEBUG: false, NAME: 'api' },
    });
    expect(r.problems).toEqual([]);
    expect(r.envFallback).toEqual({ aliases: new Map([['DB_URL', ['DATABASE_URL', 'PG_URL']]]) });
    expect([...r.defaults]).toEqual([
      ['PORT', 3000],
      ['DEBUG', false],
      ['NAME', 'api'],
    ]);
  });

  it('reports bad fallback settings; a non-object envFallback turns the fallback off', () => {
    expect(resolve({ envFallback: 'yes' })).toMatchObject({
      envFallback: false,
      problems: [['envFallback', 'must be a boolean or { aliases }']],
    });
    expect(resolve({ envFallback: { aliases: ['A'] } }).problems).toEqual([
      ['envFallback.aliases', 'must be an object of key → environment variable names'],
    ]);
    const r = resolve({ envFallback: { aliases: { A: 'B', C: ['D', ''] } } });
    expect(r.problems).toEqual([
      ['envFallback.aliases.A', 'must be an array of non-empty strings'],
      ['envFallback.aliases.C[1]', 'must be a non-empty string'],
    ]);
  });

  it('accepts only strings, finite numbers and booleans as defaults, after the fallback', () => {
    expect(resolve({ defaults: 'PORT=3000' }).problems).toEqual([
      ['defaults', 'must be an object of key → string, number or boolean'],
    ]);
    const r = resolve({
      envFallback: 1,
      defaults: { OK: 'x', A: {}, B: null, C: Number.NaN, D: Number.POSITIVE_INFINITY },
    });
    expect(r.problems).toEqual([
      ['envFallback', 'must be a boolean or { aliases }'],
      ...['A', 'B', 'C', 'D'].map(k => [
        `defaults.${k}`,
        'must be a string, a finite number or a boolean',
      ]),
    ]);
    expect([...r.defaults]).toEqual([['OK', 'x']]);
  });
});
