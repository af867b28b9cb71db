import { VAULT_PLACEHOLDER } from '../../options/vault-config-options.defaults.js';
import { EnvFileError } from '../errors/env-file.error.js';
import type { ParsedEnvFile } from './env-file-entry.interface.js';
import type { DotenvParse } from './load-dotenv-parse.js';

/**
 * The file's text with the value of every assignment of `keys` replaced by `[VAULT]` (inside its
 * quotes when quoted; with the rest of the line when an unquoted `#` cut the value, which would
 * otherwise leave the tail of a secret behind). Every other character — comments, order, `export`, spacing, line breaks,
 * other lines — stays as it was. The result is re-read with dotenv to prove that exactly those keys
 * changed.
 */
export function sanitizeEnvFile(
  parsed: ParsedEnvFile,
  keys: ReadonlySet<string>,
  file: string,
  dotenvParse: DotenvParse,
): string {
  let out = '';
  let at = 0;
  for (const entry of parsed.entries) {
    if (!keys.has(entry.key)) continue;
    out += parsed.text.slice(at, entry.valueStart) + VAULT_PLACEHOLDER;
    at = entry.replaceEnd;
  }
  out += parsed.text.slice(at);

  const reread = dotenvParse(out);
  const rereadKeys = Object.keys(reread);
  const same =
    rereadKeys.length === parsed.values.size &&
    rereadKeys.every(key => {
      const expected = keys.has(key) ? VAULT_PLACEHOLDER : parsed.values.get(key);
      return reread[key] === expected;
    });
  if (!same) {
    throw new EnvFileError({
      file,
      reason:
        'cannot replace the migrated values without changing other lines; nothing was changed',
    });
  }
  return out;
}
