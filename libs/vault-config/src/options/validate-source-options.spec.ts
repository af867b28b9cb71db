import { describe, expect, it, jest } from '@jest/globals';
import type { Report } from './option-reader.js';
import { validateSourceOptions } from './validate-source-options.js';

const SEGMENT = 'must be one path segment of letters, digits, ".", "_" or "-"';

const resolve = (raw: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => {
  const report = jest.fn<Report>();
  return { ...validateSourceOptions(raw, env, report), problems: report.mock.calls };
};
const problemsOf = (sources: unknown) => resolve({ sources }).problems;

describe('validateSourceOptions', () => {
  it('takes the {env} name from env, else NODE_ENV, else development', () => {
    expect(resolve({}).envName).toBe('development');
    expect(resolve({}, { NODE_ENV: ' staging ' }).envName).toBe('staging');
    expect(resolve({ env: 'prod' }, { NODE_ENV: 'staging' }).envName).toBe('prod');
  });

  it('refuses an env name that is not one safe path segment, falling back to development', () => {
    expect(resolve({ env: '../other-team' })).toMatchObject({
      envName: 'development',
      problems: [['env', SEGMENT]],
    });
    expect(resolve({ env: 3 }).problems).toEqual([['env', SEGMENT]]);
    expect(resolve({}, { NODE_ENV: 'a/b' })).toMatchObject({
      envName: 'development',
      problems: [['env (from NODE_ENV)', SEGMENT]],
    });
  });

  it('fills source defaults, renders {env} and normalises mount and path', () => {
    const { sources, problems } = resolve(
      {
        env: 'prod',
        sources: [
          { mount: '/secret/', path: '/apps/{env}/api/' },
          { mount: 'db', path: 'creds/{env}', type: 'dynamic', kv: 2, required: false },
          { mount: 'kv', path: 'x', prefix: 'X_', keys: ['A'] },
        ],
      },
      { NODE_ENV: 'ignored' },
    );
    expect(problems).toEqual([]);
    expect(sources).toEqual([
      {
        type: 'kv',
        mount: 'secret',
        path: 'apps/prod/api',
        kv: 'auto',
        required: true,
        prefix: '',
      },
      { type: 'dynamic', mount: 'db', path: 'creds/prod', kv: 2, required: false, prefix: '' },
      { type: 'kv', mount: 'kv', path: 'x', kv: 'auto', required: true, prefix: 'X_', keys: ['A'] },
    ]);
    expect(resolve({}).sources).toEqual([]);
  });

  it('reports each mistake under sources[i].*, dropping only the unusable sources', () => {
    expect(problemsOf({ mount: 'secret', path: 'x' })).toEqual([
      ['sources', 'must be an array of { mount, path } objects'],
    ]);
    const { sources, problems } = resolve({
      sources: [
        'nope',
        { mount: '', path: '' },
        { mount: '/', path: 'x/{ENV}' },
        { mount: 'secret', path: 'a/../b' },
        { mount: 'ok', path: 'ok', type: 'x', kv: 3, required: 'yes', prefix: 1, keys: ['A', ''] },
      ],
    });
    expect(problems).toEqual([
      ['sources[0]', 'must be an object with mount and path'],
      ['sources[1].mount', 'must be a non-empty string'],
      ['sources[1].path', 'must be a non-empty string'],
      ['sources[2].mount', 'must be a mount path such as secret'],
      ['sources[2].path', 'uses unknown placeholder {ENV} (only {env} is supported)'],
      ['sources[3].path', 'must be a path without empty, . or .. segments'],
      ['sources[4].type', "must be 'kv' or 'dynamic'"],
      ['sources[4].kv', "must be 'auto', 1 or 2"],
      ['sources[4].required', 'must be a boolean'],
      ['sources[4].prefix', 'must be a string'],
      ['sources[4].keys[1]', 'must be a non-empty string'],
    ]);
    expect(sources.map(s => s.mount)).toEqual(['ok']);
  });

  it('reports the env name before the sources that use it', () => {
    expect(resolve({ env: '..', sources: [{ mount: '', path: 'x' }] }).problems).toEqual([
      ['env', SEGMENT],
      ['sources[0].mount', 'must be a non-empty string'],
    ]);
  });
});
