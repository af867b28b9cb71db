import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { SeedDocument } from '../interfaces/seed-document.interface.js';

/** Reads a seed document from a `.json`, `.yaml` or `.yml` file. */
export async function loadSeedFile(path: string): Promise<SeedDocument> {
  const text = await readFile(path, 'utf8');
  const ext = extname(path).toLowerCase();
  let parsed: unknown;
  try {
    parsed = ext === '.yaml' || ext === '.yml' ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    // No `cause`: parser messages quote the input, and a seed file holds secrets.
    const position =
      err instanceof Error
        ? /(position \d+|line \d+, column \d+)/.exec(err.message)?.[1]
        : undefined;
    // eslint-disable-next-line preserve-caught-error
    throw new Error(
      `seed file ${path} is not valid ${ext === '.json' ? 'JSON' : 'YAML'}${position ? ` (at ${position})` : ''}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`seed file ${path} must hold an object`);
  }
  return parsed;
}
