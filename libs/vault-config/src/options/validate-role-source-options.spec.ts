import { describe, expect, it, jest } from '@jest/globals';
import type { Report } from './option-reader.js';
import { validateSourceOptions } from './validate-source-options.js';

const resolve = (sources: unknown[], env = 'prod') => {
  const report = jest.fn<Report>();
  return { ...validateSourceOptions({ env, sources }, {}, report), problems: report.mock.calls };
};

describe('validateSourceOptions: pki and static sources', () => {
  it('resolves a pki source to issue/<role>, {env} replaced, always required', () => {
    const { sources, problems } = resolve([
      {
        type: 'pki',
        mount: '/pki/',
        role: 'web-{env}',
        commonName: 'api.{env}.example.com',
        altNames: ['api.example.com'],
        ipSans: ['127.0.0.1', '::1'],
        ttl: '72h',
        prefix: 'TLS_',
      },
      { type: 'pki', mount: 'pki', role: 'web', commonName: 'a.example.com', ttl: 90 },
    ]);
    expect(problems).toEqual([]);
    expect(sources).toEqual([
      {
        type: 'pki',
        mount: 'pki',
        role: 'web-prod',
        path: 'issue/web-prod',
        commonName: 'api.prod.example.com',
        altNames: ['api.example.com'],
        ipSans: ['127.0.0.1', '::1'],
        ttl: '72h',
        prefix: 'TLS_',
        required: true,
      },
      {
        type: 'pki',
        mount: 'pki',
        role: 'web',
        path: 'issue/web',
        commonName: 'a.example.com',
        altNames: [],
        ipSans: [],
        ttl: 90,
        prefix: '',
        required: true,
      },
    ]);
  });

  it('resolves a static source to static-creds/<role>', () => {
    const { sources, problems } = resolve([
      { type: 'static', mount: 'database', role: 'app-{env}', prefix: 'DB_' },
    ]);
    expect(problems).toEqual([]);
    expect(sources).toEqual([
      {
        type: 'static',
        mount: 'database',
        role: 'app-prod',
        path: 'static-creds/app-prod',
        prefix: 'DB_',
        required: true,
      },
    ]);
  });

  it('names every mistake and drops the unusable source', () => {
    const { sources, problems } = resolve([
      {
        type: 'pki',
        mount: '',
        role: 'a/b',
        commonName: '',
        ipSans: ['nope'],
        ttl: '3 days',
        path: 'issue/web',
        keys: ['CERTIFICATE'],
        prefix: 3,
      },
      { type: 'pki', mount: 'pki', role: 'web', commonName: 'x', ttl: 0 },
      { type: 'static', mount: 'database', role: '{ENV}', required: false },
      { type: 'static', mount: 'database' },
      { type: 'sttaic', mount: 'database', role: 'app' },
    ]);
    expect(problems).toEqual([
      ['sources[0].mount', 'must be a non-empty string'],
      ['sources[0].role', 'must be a role name: letters, digits, ".", "_" or "-"'],
      ['sources[0].path', 'is not used by pki sources'],
      ['sources[0].keys', 'is not used by pki sources'],
      ['sources[0].prefix', 'must be a string'],
      ['sources[0].commonName', 'must be a non-empty string'],
      ['sources[0].ipSans[0]', 'must be an IP address'],
      ['sources[0].ttl', "must be a duration such as '72h' or '30m', or a whole number of seconds"],
      ['sources[1].ttl', "must be a duration such as '72h' or '30m', or a whole number of seconds"],
      ['sources[2].role', 'uses unknown placeholder {ENV} (only {env} is supported)'],
      ['sources[2].required', 'is not used by static sources'],
      ['sources[3].role', 'must be a non-empty string'],
      [
        'sources[4].type',
        "must be 'kv' or 'dynamic' (with a path), or 'pki' or 'static' (with a role)",
      ],
    ]);
    expect(sources).toEqual([]);
  });
});
