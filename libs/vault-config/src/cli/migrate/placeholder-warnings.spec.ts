import { beforeAll, describe, expect, it } from '@jest/globals';
import { loadDotenvParse, type DotenvParse } from '../env-file/load-dotenv-parse.js';
import { parseEnvFile } from '../env-file/parse-env-file.js';
import { placeholderWarnings } from './placeholder-warnings.js';
import { selectMigrationKeys } from './select-migration-keys.js';

describe('placeholderWarnings', () => {
  let dotenv: DotenvParse;
  beforeAll(async () => {
    dotenv = await loadDotenvParse();
  });

  it('warns about [VAULT] left in a key the module reads before Vault, at its last line', () => {
    const text =
      'NODE_ENV=production\nNODE_ENV=[VAULT]\nVAULT_NAMESPACE=[VAULT]\nPORT=[VAULT]\nA=[VAULT]\n';
    const parsed = parseEnvFile(text, '.env', dotenv);
    const { stay } = selectMigrationKeys(['NODE_ENV', 'VAULT_NAMESPACE', 'PORT', 'A'], [], [], 'x');
    const warnings = placeholderWarnings(parsed, stay, '.env');
    expect(warnings.map(w => [w.key, w.lines])).toEqual([
      ['NODE_ENV', [2]],
      ['VAULT_NAMESPACE', [3]],
    ]);
    expect(warnings[0].message).toBe(
      '.env, line 2: NODE_ENV is [VAULT], but the module reads it before it can read Vault, so ' +
        'nothing fills it in: put its value back in the file',
    );
    const fine = parseEnvFile('NODE_ENV=production\n', '.env', dotenv);
    expect(
      placeholderWarnings(fine, [{ key: 'NODE_ENV', reason: 'environment-name' }], '.env'),
    ).toEqual([]);
  });
});
