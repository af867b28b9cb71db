import { beforeAll, describe, expect, it } from '@jest/globals';
import { EnvFileError } from '../errors/env-file.error.js';
import { loadDotenvParse, type DotenvParse } from './load-dotenv-parse.js';
import { parseEnvFile } from './parse-env-file.js';

describe('parseEnvFile', () => {
  let dotenv: DotenvParse;
  beforeAll(async () => {
    dotenv = await loadDotenvParse();
  });
  const parse = (text: string) => parseEnvFile(text, '.env', dotenv);
  const failure = (text: string): EnvFileError => {
    try {
      parse(text);
    } catch (error) {
      expect(error).toBeInstanceOf(EnvFileError);
      return error as EnvFileError;
    }
    throw new Error('expected an EnvFileError');
  };

  it('reads what dotenv reads: quotes, multi-line values, export, comments, CRLF, BOM, colons', () => {
    const text =
      '\uFEFF# top comment\r\n' +
      'export DATABASE_URL = "postgres://u:p@h/db"  # primary\r\n' +
      "SINGLE='a # not a comment'\n" +
      'MULTI="line one\nline two"\n' +
      'ESCAPED="a\\nb"\n' +
      'TICK=`x`\n' +
      'PLAIN=abc def # trailing\n' +
      'COLON: value\n' +
      '\n' +
      'REDIS_URL=[VAULT]\n' +
      'EMPTY=\n' +
      'constructor=ok\n';
    const parsed = parse(text);
    expect(Object.fromEntries(parsed.values)).toEqual({ ...dotenv(text) });
    expect(parsed.values.get('MULTI')).toBe('line one\nline two');
    expect(parsed.values.get('ESCAPED')).toBe('a\nb');
    expect(parsed.values.get('constructor')).toBe('ok');
    expect(parsed.entries.map(e => [e.key, e.line])).toEqual([
      ['DATABASE_URL', 2],
      ['SINGLE', 3],
      ['MULTI', 4],
      ['ESCAPED', 6],
      ['TICK', 7],
      ['PLAIN', 8],
      ['COLON', 9],
      ['REDIS_URL', 11],
      ['EMPTY', 12],
      ['constructor', 13],
    ]);
    const span = (key: string) => {
      const e = parsed.entries.find(x => x.key === key)!;
      return text.slice(e.valueStart, e.valueEnd);
    };
    expect(span('DATABASE_URL')).toBe('postgres://u:p@h/db');
    expect(span('MULTI')).toBe('line one\nline two');
    expect(span('PLAIN')).toBe('abc def');
    expect(span('EMPTY')).toBe('');
    expect(parsed.entries.filter(e => e.placeholder).map(e => e.key)).toEqual(['REDIS_URL']);
  });

  it('reports a malformed line by number, without its content', () => {
    const error = failure('A=1\n# ok\nthis line holds canary-secret-1\nB=2\n');
    expect(error.line).toBe(3);
    expect(error.message).toBe(
      '.env, line 3: is not a KEY=value assignment, a comment or a blank line.',
    );
    expect(JSON.stringify(error)).not.toContain('canary-secret-1');
  });

  it('reports an unterminated quote at the line that opens it, naming only the key', () => {
    const error = failure('A=1\nSECRET="canary-secret-2\nB=2\n');
    expect(error.line).toBe(2);
    expect(error.message).toBe('.env, line 2: the quoted value of SECRET has no closing ".');
    const late = failure('A="canary-secret-3\nB=2\nC="x"\n');
    expect(late.line).toBe(1);
    expect(late.message).toContain('the quoted value of A is not closed properly');
    expect(late.message).not.toContain('canary-secret-3');
  });

  it('refuses text after a closing quote and a __proto__ key', () => {
    expect(failure("A='x' canary-secret-4\n").message).toContain('text follows its closing');
    expect(failure('__proto__=x\n').message).toBe(
      '.env, line 1: the key __proto__ is not allowed.',
    );
  });

  it('tells an unquoted # touching the value (dotenv cuts it there) from a comment', () => {
    const text = 'CUT=abc#def # note\nEMPTY=#abc\nCOMMENT=abc #def\nQUOTED="a#b"#c\nSPACED= #x\n';
    const parsed = parse(text);
    expect(Object.fromEntries(parsed.values)).toEqual({ ...dotenv(text) });
    expect(Object.fromEntries(parsed.values)).toEqual({
      CUT: 'abc',
      EMPTY: '',
      COMMENT: 'abc',
      QUOTED: 'a#b',
      SPACED: '',
    });
    const shape = parsed.entries.map(e => [
      e.key,
      e.hashCut,
      text.slice(e.valueStart, e.valueEnd),
      text.slice(e.valueStart, e.replaceEnd),
    ]);
    expect(shape).toEqual([
      ['CUT', true, 'abc', 'abc#def # note'],
      ['EMPTY', true, '', '#abc'],
      ['COMMENT', false, 'abc', 'abc'],
      ['QUOTED', false, 'a#b', 'a#b'],
      ['SPACED', false, '', ''],
    ]);
  });

  it('keeps every occurrence of a repeated key; the last one is the value', () => {
    const parsed = parse('A=1\nA=2\n');
    expect(parsed.entries.map(e => e.line)).toEqual([1, 2]);
    expect(parsed.values.get('A')).toBe('2');
  });
});
