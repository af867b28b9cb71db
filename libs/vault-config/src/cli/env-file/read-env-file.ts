import { realpath } from 'node:fs/promises';
import { EnvFileError } from '../errors/env-file.error.js';
import { readRegularFile } from '../read-regular-file.js';
import { fileErrorCode } from './file-error-code.js';

/** Larger files are refused: a .env file is small, and the whole file is held in memory. */
export const MAX_ENV_FILE_BYTES = 1024 * 1024;

export interface EnvFileContent {
  /** The real path (symlinks resolved), which a rewrite replaces. */
  readonly path: string;
  readonly bytes: Buffer;
  readonly text: string;
  /** Permission bits, kept by a rewrite. */
  readonly mode: number;
  /** Owner and group, kept by a rewrite and given to the backup. */
  readonly uid: number;
  readonly gid: number;
}

/**
 * Reads a .env file as exact UTF-8 text; errors name the file as `shownAs` (what the user typed)
 * with the error code, never its content. A FIFO, a device or anything else that is not a regular
 * file is refused before it is read.
 */
export async function readEnvFile(file: string, shownAs = file): Promise<EnvFileContent> {
  const fail = (reason: string): never => {
    throw new EnvFileError({ file: shownAs, reason });
  };
  let path = file;
  try {
    path = await realpath(file);
  } catch (error) {
    const code = fileErrorCode(error);
    fail(`${code === 'ENOENT' ? 'does not exist' : 'cannot be read'} (${code})`);
  }
  const read = await readRegularFile(path, MAX_ENV_FILE_BYTES);
  if (!read.ok) return fail(read.reason);
  const { bytes, stats } = read;
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) fail('is not valid UTF-8 text');
  if (text.includes('\u0000')) fail('is binary (contains NUL bytes)');
  return { path, bytes, text, mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid };
}
