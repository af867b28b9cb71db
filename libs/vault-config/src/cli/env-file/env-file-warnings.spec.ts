import { beforeAll, describe, expect, it } from '@jest/globals';
import { envFileWarnings } from './env-file-warnings.js';
import { loadDotenvParse, type DotenvParse } from './load-dotenv-parse.js';
import { parseEnvFile } from './parse-env-file.js';

describe('envFileWarnings', () => {
  let dotenv: DotenvParse;
  beforeAll(async () => {
    dotenv = await loadDotenvParse();
  });
  const warn = (text: string) => envFileWarnings(parseEnvFile(text, 'app.env', dotenv), 'app.env');

  it('warns about a # that cuts a value and a key assigned twice, by key and line, in line order', () => {
    const text =
      'A=canary-1\n' +
      'PASSWORD=canary-2#canary-3\n' +
      'COMMENTED=canary-4 # an ordinary comment\n' +
      'HASH_FIRST=#canary-5\n' +
      'A=canary-6\n' +
      'QUOTED="canary-7#canary-8"\n' +
      'A=canary-9\n';
    const warnings = warn(text);
    expect(warnings.map(w => [w.kind, w.key, w.lines])).toEqual([
      ['duplicate-key', 'A', [1, 5, 7]],
      ['hash-cuts-value', 'PASSWORD', [2]],
      ['hash-cuts-value', 'HASH_FIRST', [4]],
    ]);
    expect(warnings.map(w => w.message)).toEqual([
      'app.env, lines 1, 5 and 7: A is assigned 3 times; dotenv (and so the app) uses only the ' +
        'last one, line 7: that is the value migrate reads, and --sanitize replaces every one of them',
      'app.env, line 2: an unquoted # cuts the value of PASSWORD: dotenv (and so the app) reads ' +
        'only the part before it, and that part is what moves; --sanitize replaces the rest of ' +
        'the line too. If the # belongs to the value, put the value in quotes first',
      'app.env, line 4: an unquoted # right after = makes the value of HASH_FIRST empty for ' +
        'dotenv (and so for the app): it does not move. If the # belongs to the value, put the ' +
        'value in quotes',
    ]);
    expect(JSON.stringify(warnings)).not.toContain('canary');
  });

  it('has nothing to say about a clean file', () => {
    expect(warn('A=1 # note\nB="x#y"\nC=\n')).toEqual([]);
  });
});
