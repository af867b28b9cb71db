import { readFile, realpath, stat } from 'node:fs/promises';
import { EnvFileError } from '../errors/env-file.error.js';
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
}

/**
 * Reads a .env file as exact UTF-8 text; errors name the file as `shownAs` (what the user typed)
 * with the error code, never its content.
 */
export async function readEnvFile(file: string, shownAs = file): Promise<EnvFileContent> {
  const fail = (reason: string): never => {
    throw new EnvFileError({ file: shownAs, reason });
  };
  let path = file;
  let bytes: Buffer | undefined;
  let mode = 0o600;
  try {
    path = await realpath(file);
    const info = await stat(path);
    if (!info.isFile()) fail('is not a regular file');
    if (info.size > MAX_ENV_FILE_BYTES) fail(`is larger than ${MAX_ENV_FILE_BYTES} bytes`);
    mode = info.mode & 0o7777;
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof EnvFileError) throw error;
    const code = fileErrorCode(error);
    const hint =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'cannot be read: permission denied'
          : 'cannot be read';
    fail(`${hint} (${code})`);
  }
  const content = bytes as Buffer;
  if (content.length > MAX_ENV_FILE_BYTES) fail(`is larger than ${MAX_ENV_FILE_BYTES} bytes`);
  const text = content.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(content)) fail('is not valid UTF-8 text');
  if (text.includes('\u0000')) fail('is binary (contains NUL bytes)');
  return { path, bytes: content, text, mode };
}
