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
      namespace: 'team-a/child',
    });
    const mine = { address: ' https://vault.example.com/// ', namespace: '/team-b/' };
    expect(validateAddressOptions(mine, env, true, jest.fn<Report>())).toEqual({
      address: 'https://vault.example.com',
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
        ['address', 'must be a non-empty string (e.g. https://vault.example.com:8200)'],
      ]);
    }
    expect(problemsOf({ address: 'ftp://vault' })).toEqual([
      ['address', 'must be an http:// or https:// URL'],
    ]);
    expect(problemsOf({}, { VAULT_ADDR: 'vault:8200' })).toEqual([
      ['address (from VAULT_ADDR)', 'must be an http:// or https:// URL'],
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
