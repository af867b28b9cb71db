import { describe, expect, it } from '@jest/globals';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { selectMigrationKeys } from './select-migration-keys.js';

const FILE = [
  'NODE_ENV',
  'VAULT_ADDR',
  'PORT',
  'LOG_LEVEL',
  'TZ',
  'NODE_OPTIONS',
  'LC_ALL',
  'npm_config_cache',
  'DATABASE_URL',
  'JWT_SECRET',
  'port',
];

const select = (only: string[] = [], exclude: string[] = []) =>
  selectMigrationKeys(FILE, only, exclude, 'migrate');

describe('selectMigrationKeys', () => {
  it('by default moves the secrets and leaves settings, with the reason for each', () => {
    expect(select()).toEqual({
      keys: ['DATABASE_URL', 'JWT_SECRET', 'port'],
      stay: [
        { key: 'NODE_ENV', reason: 'environment-name' },
        { key: 'VAULT_ADDR', reason: 'vault-connection-setting' },
        { key: 'PORT', reason: 'non-secret-setting' },
        { key: 'LOG_LEVEL', reason: 'non-secret-setting' },
        { key: 'TZ', reason: 'non-secret-setting' },
        { key: 'NODE_OPTIONS', reason: 'non-secret-setting' },
        { key: 'LC_ALL', reason: 'non-secret-setting' },
        { key: 'npm_config_cache', reason: 'non-secret-setting' },
      ],
    });
  });

  it('moves a non-secret setting named with --only; --exclude wins', () => {
    const selected = select(['PORT', 'JWT_SECRET', 'DATABASE_URL'], ['DATABASE_URL']);
    expect(selected.keys).toEqual(['PORT', 'JWT_SECRET']);
    expect(selected.stay.filter(s => s.key === 'DATABASE_URL' || s.key === 'TZ')).toEqual([
      { key: 'TZ', reason: 'not-named-with-only' },
      { key: 'DATABASE_URL', reason: 'excluded' },
    ]);
  });

  it('refuses --only naming VAULT_* or NODE_ENV, and a key not in the file', () => {
    const refusal = (only: string[]) => {
      try {
        select(only);
      } catch (error) {
        expect(error).toBeInstanceOf(CliUsageError);
        return (error as Error).message;
      }
      throw new Error('expected a CliUsageError');
    };
    expect(refusal(['JWT_SECRET', 'NODE_ENV'])).toBe(
      '--only names NODE_ENV, which never moves: the module reads VAULT_* and NODE_ENV from the ' +
        'environment before it can read Vault',
    );
    expect(refusal(['VAULT_ADDR', 'NODE_ENV'])).toMatch(
      /^--only names VAULT_ADDR, NODE_ENV, which never move:/,
    );
    expect(refusal(['MISSING'])).toBe('--only names MISSING, not in the file');
  });
});
