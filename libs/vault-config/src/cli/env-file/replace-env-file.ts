import { access, constants, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EnvFileError } from '../errors/env-file.error.js';
import { backupEnvFile } from './backup-env-file.js';
import { fileErrorCode } from './file-error-code.js';
import { ownerProblem, processUser, type ProcessUser } from './file-owner.js';
import type { EnvFileContent } from './read-env-file.js';
import { writeFileAtomically } from './write-file-atomically.js';

/**
 * Backs the file up (byte for byte, mode 0600, the file's owner and group), then atomically
 * replaces it with `text`, keeping its mode, owner and group. Refuses when the file changed since it was read. On failure the original file is
 * untouched and the backup is removed again. Returns the backup's path.
 */
export async function replaceEnvFile(
  original: EnvFileContent,
  text: string,
  now: Date,
  shownAs: string,
): Promise<string> {
  let current: Buffer;
  try {
    current = await readFile(original.path);
  } catch (error) {
    throw new EnvFileError({
      file: shownAs,
      reason: `cannot be read again before rewriting it (${fileErrorCode(error)}); nothing was changed`,
    });
  }
  if (!current.equals(original.bytes)) {
    throw new EnvFileError({
      file: shownAs,
      reason: 'changed while this command ran; nothing was changed in it',
    });
  }
  const owner = { uid: original.uid, gid: original.gid };
  const backup = await backupEnvFile(original.path, original.bytes, now, owner);
  try {
    await writeFileAtomically(original.path, text, original.mode, owner);
  } catch (error) {
    await unlink(backup).catch(() => undefined);
    throw error;
  }
  return backup;
}

/**
 * Checks before anything is written that the file's directory takes new files (backup, temp) and
 * that they can be given the file's owner and group.
 */
export async function assertCanReplace(
  original: EnvFileContent,
  shownAs: string,
  user: ProcessUser | undefined = processUser(),
): Promise<void> {
  const problem = ownerProblem(original, user);
  if (problem) throw new EnvFileError({ file: shownAs, reason: problem });
  try {
    await access(dirname(original.path), constants.W_OK);
    await access(original.path, constants.W_OK);
  } catch (error) {
    throw new EnvFileError({
      file: shownAs,
      reason: `cannot be rewritten: its directory or the file is not writable (${fileErrorCode(error)}); nothing was changed`,
    });
  }
}
