import { beforeAll, describe, expect, it } from '@jest/globals';
import { loadDotenvParse, type DotenvParse } from './load-dotenv-parse.js';
import { parseEnvFile } from './parse-env-file.js';
import { sanitizeEnvFile } from './sanitize-env-file.js';

describe('sanitizeEnvFile', () => {
  let dotenv: DotenvParse;
  beforeAll(async () => {
    dotenv = await loadDotenvParse();
  });

  it('replaces only the values of the given keys, keeping every other byte', () => {
    const text =
      '# Billing\r\n' +
      'export DATABASE_URL = "postgres://canary"  # primary\r\n' +
      'KEEP=unchanged # stays\r\n' +
      "MULTI='one\r\ntwo'\r\n" +
      'JWT_SECRET:   canary-jwt   # note\r\n' +
      'JWT_SECRET=canary-jwt\r\n' +
      'no-newline-at-end=1';
    const parsed = parseEnvFile(text, '.env', dotenv);
    const out = sanitizeEnvFile(
      parsed,
      new Set(['DATABASE_URL', 'MULTI', 'JWT_SECRET']),
      '.env',
      dotenv,
    );
    expect(out).toBe(
      '# Billing\r\n' +
        'export DATABASE_URL = "[VAULT]"  # primary\r\n' +
        'KEEP=unchanged # stays\r\n' +
        "MULTI='[VAULT]'\r\n" +
        'JWT_SECRET:   [VAULT]   # note\r\n' +
        'JWT_SECRET=[VAULT]\r\n' +
        'no-newline-at-end=1',
    );
    expect(out).not.toContain('canary');
    expect(dotenv(out)).toEqual({
      DATABASE_URL: '[VAULT]',
      KEEP: 'unchanged',
      MULTI: '[VAULT]',
      JWT_SECRET: '[VAULT]',
      'no-newline-at-end': '1',
    });
  });

  it('replaces the rest of the line when an unquoted # cut the value: no tail of it is left', () => {
    const text = 'CUT=canary-head#canary-tail # note\nKEEP=x # comment stays\nDUP=a#b\nDUP=c\n';
    const parsed = parseEnvFile(text, '.env', dotenv);
    const out = sanitizeEnvFile(parsed, new Set(['CUT', 'DUP']), '.env', dotenv);
    expect(out).toBe('CUT=[VAULT]\nKEEP=x # comment stays\nDUP=[VAULT]\nDUP=[VAULT]\n');
    expect(out).not.toContain('canary');
  });

  it('returns the text unchanged for no keys', () => {
    const text = 'A=1\n# c\n';
    expect(sanitizeEnvFile(parseEnvFile(text, '.env', dotenv), new Set(), '.env', dotenv)).toBe(
      text,
    );
  });
});
