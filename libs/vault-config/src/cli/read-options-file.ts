import { resolve } from 'node:path';
import type { CliIo } from './cli-io.interface.js';
import { CliUsageError } from './errors/cli-usage.error.js';
import { readRegularFile } from './read-regular-file.js';
import { safeText } from '../utils/safe-text.js';

const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * A `--config` file: a JSON object of module options (doctor and policy read the same file).
 * Anything else is a usage error naming the file, never its content.
 */
export async function readOptionsFile(
  io: CliIo,
  file: string,
  command: string,
): Promise<Record<string, unknown>> {
  const shown = safeText(file, 300);
  const read = await readRegularFile(resolve(io.cwd, file), MAX_CONFIG_BYTES);
  if (!read.ok) throw new CliUsageError(`--config ${shown} ${read.reason}`, command);
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.bytes.toString('utf8'));
  } catch {
    throw new CliUsageError(`--config ${shown} is not valid JSON`, command);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliUsageError(`--config ${shown} must hold a JSON object`, command);
  }
  return parsed as Record<string, unknown>;
}
