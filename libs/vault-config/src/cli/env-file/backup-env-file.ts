import { open, unlink } from 'node:fs/promises';
import { EnvFileError } from '../errors/env-file.error.js';
import { fileErrorCode } from './file-error-code.js';
import { giveOwner, type FileOwner } from './file-owner.js';

const MAX_NAME_ATTEMPTS = 100;
const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYYMMDD_HHMMSS` in local time, like `date +%Y%m%d_%H%M%S`. */
export function backupTimestamp(now: Date): string {
  return (
    `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}_` +
    `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`
  );
}

/**
 * Writes `content` (the file's bytes as read) to `<file>.backup.YYYYMMDD_HHMMSS` (`_2`, `_3`, ...
 * when taken), created exclusively with mode 0600 so no other user can read it at any moment, and
 * owned by `owner` (the original's owner and group, so that they can read and remove it). Mode
 * 0600 whatever the original's: the backup keeps the secrets the rewrite removed from the file.
 * Returns the backup's path.
 */
export async function backupEnvFile(
  file: string,
  content: Buffer,
  now: Date,
  owner?: FileOwner,
): Promise<string> {
  const base = `${file}.backup.${backupTimestamp(now)}`;
  for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
    const target = attempt === 1 ? base : `${base}_${attempt}`;
    let handle;
    try {
      handle = await open(target, 'wx', 0o600);
    } catch (error) {
      if (fileErrorCode(error) === 'EEXIST') continue;
      throw new EnvFileError({
        file,
        reason: `cannot create the backup ${target} (${fileErrorCode(error)}); nothing was changed`,
      });
    }
    try {
      if (owner) await giveOwner(handle, owner);
      await handle.chmod(0o600);
      await handle.writeFile(content);
      await handle.sync();
      await handle.close();
      return target;
    } catch (error) {
      await handle.close().catch(() => undefined);
      await unlink(target).catch(() => undefined);
      throw new EnvFileError({
        file,
        reason: `cannot write the backup ${target} (${fileErrorCode(error)}); nothing was changed`,
      });
    }
  }
  throw new EnvFileError({
    file,
    reason: `${MAX_NAME_ATTEMPTS} backups named ${base}* exist already`,
  });
}
