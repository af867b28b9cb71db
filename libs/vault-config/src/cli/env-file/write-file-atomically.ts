import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EnvFileError } from '../errors/env-file.error.js';
import { fileErrorCode } from './file-error-code.js';
import { giveOwner, type FileOwner } from './file-owner.js';

/**
 * Replaces `file` atomically: writes a temporary file in the same directory (mode 0600 while it is
 * written), gives it `owner` (when given and different: the file is new, so it would otherwise
 * belong to whoever runs this) and `mode`, then renames it over `file`. Readers see the old or the
 * new content, never a mix; on failure the temporary file is removed and `file` is untouched.
 */
export async function writeFileAtomically(
  file: string,
  content: string,
  mode: number,
  owner?: FileOwner,
): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(temp, 'wx', 0o600);
  } catch (error) {
    throw new EnvFileError({
      file,
      reason: `cannot create a temporary file beside it (${fileErrorCode(error)}); nothing was changed`,
    });
  }
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
    if (owner) await giveOwner(handle, owner);
    // After chown, which may clear set-id bits.
    await handle.chmod(mode);
    await handle.close();
    handle = undefined;
    await rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw new EnvFileError({
      file,
      reason: `cannot replace it (${fileErrorCode(error)}); nothing was changed`,
    });
  }
}
