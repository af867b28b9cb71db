import { describe, expect, it, jest } from '@jest/globals';
import type { Report } from './option-reader.js';
import { validateAddressOptions } from './validate-address-options.js';

const problemsOf = (raw: Record<string, unknown>, env: NodeJS.ProcessEnv = {}, required = true) => {
  const report = jest.fn<Report>();
  validateAddressOptions(raw, env, required, report);
  return report.mock.calls;
};

describe('validateAddressOptions', () => {
  it('normalises the address and namespace, options winning over VAULT_ADDR / VAULT_NAMESPACE', () => {
    const env = { VAULT_ADDR: ' http://127.0.0.1:8200/ ', VAULT_NAMESPACE: ' team-a/child/ ' };
    expect(validateAddressOptions({}, env, true, jest.fn<Report>())).toEqual({
      address: 'http://127.0.0.1:8200',
      addresses: ['http://127.0.0.1:8200'],
      namespace: 'team-a/child',
    });
    const mine = { address: ' https://vault.example.com/// ', namespace: '/team-b/' };
    expect(validateAddressOptions(mine, env, true, jest.fn<Report>())).toEqual({
      address: 'https://vault.example.com',
      addresses: ['https://vault.example.com'],
      namespace: 'team-b',
    });
  });

  it('requires an address only when asked to, and a blank variable counts as unset', () => {
    expect(problemsOf({}, { VAULT_ADDR: '  ' })).toEqual([
      ['address', 'is required (or set VAULT_ADDR, or enabled: false)'],
    ]);
    const report = jest.fn<Report>();
    expect(validateAddressOptions({}, { VAULT_NAMESPACE: ' ' }, false, report)).toEqual({});
    expect(report).not.toHaveBeenCalled();
  });

  it('names the option or the variable the bad address came from', () => {
    for (const address of ['', 42]) {
      expect(problemsOf({ address })).toEqual([
        [
          'address',
          'must be a non-empty string (e.g. https://vault.example.com:8200) or a list of them',
        ],
      ]);
    }
    expect(problemsOf({ address: 'ftp://vault' })).toEqual([
      ['address', 'must be an http:// or https:// URL'],
    ]);
    expect(problemsOf({}, { VAULT_ADDR: 'vault:8200' })).toEqual([
      ['address (from VAULT_ADDR)', 'must be an http:// or https:// URL'],
    ]);
  });

  it('takes a list of addresses in order, the first one as `address`', () => {
    const env = { VAULT_ADDR: 'http://127.0.0.1:1' };
    const list = [
      ' https://vault-1.example.com:8200/ ',
      'https://vault-2.example.com:8200',
      'http://10.0.0.3:8200/base/',
    ];
    expect(validateAddressOptions({ address: list }, env, true, jest.fn<Report>())).toEqual({
      address: 'https://vault-1.example.com:8200',
      addresses: [
        'https://vault-1.example.com:8200',
        'https://vault-2.example.com:8200',
        'http://10.0.0.3:8200/base',
      ],
    });
    expect(problemsOf({ address: ['http://127.0.0.1:8200'] })).toEqual([]);
  });

  it('checks every entry of a list like one address, naming each by its index', () => {
    const canary = 'canary-s3cr3t-list-pw';
    expect(
      problemsOf({
        address: [
          'http://127.0.0.1:8200',
          '',
          `https://user:${canary}@vault.example.com`,
          'ftp://vault',
          'http://127.0.0.1:8200/',
          7,
        ],
      }),
    ).toEqual([
      ['address[1]', 'must be a non-empty string (e.g. https://vault.example.com:8200)'],
      ['address[2]', 'must be an http:// or https:// URL'],
      ['address[3]', 'must be an http:// or https:// URL'],
      ['address[4]', 'repeats address[0]'],
      ['address[5]', 'must be a non-empty string (e.g. https://vault.example.com:8200)'],
    ]);
    expect(JSON.stringify(problemsOf({ address: [`https://vault/?t=${canary}`] }))).not.toContain(
      canary,
    );
    const tooMany = Array.from({ length: 17 }, (_, i) => `http://10.0.0.${i + 1}:8200`);
    for (const address of [[], tooMany]) {
      expect(problemsOf({ address })).toEqual([['address', 'must list 1 to 16 addresses']]);
    }
  });

  it('reads VAULT_ADDR as one address, and says so when it holds several', () => {
    expect(problemsOf({}, { VAULT_ADDR: 'http://a:8200,http://b:8200' })).toEqual([
      [
        'address (from VAULT_ADDR)',
        'must be an http:// or https:// URL; VAULT_ADDR holds one address, give several in the address option',
      ],
    ]);
  });

  it('refuses an address with credentials, a query or a fragment, without echoing it', () => {
    const canary = 'canary-s3cr3t-address-pw';
    for (const address of [
      `https://user:${canary}@vault.example.com`,
      `https://vault.example.com/?token=${canary}`,
      `https://vault.example.com/#${canary}`,
    ]) {
      const problems = problemsOf({ address });
      expect(problems).toEqual([['address', 'must be an http:// or https:// URL']]);
      expect(JSON.stringify(problems)).not.toContain(canary);
    }
  });

  it('reports a blank or malformed namespace', () => {
    const env = { VAULT_ADDR: 'http://127.0.0.1:1' };
    expect(problemsOf({ namespace: ' ' }, env)).toEqual([
      ['namespace', 'must be a non-empty string'],
    ]);
    expect(problemsOf({ namespace: 'a//b' }, env)).toEqual([
      ['namespace', 'must be a namespace path such as team-a or team-a/child'],
    ]);
    expect(problemsOf({}, { ...env, VAULT_NAMESPACE: 'a/../b' })).toEqual([
      ['namespace', 'must be a namespace path such as team-a or team-a/child'],
    ]);
  });
});
