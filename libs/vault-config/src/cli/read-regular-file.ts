import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { fileErrorCode } from './env-file/file-error-code.js';

export type RegularFileRead =
  | { readonly ok: true; readonly bytes: Buffer; readonly stats: Stats }
  | { readonly ok: false; readonly reason: string };

// A FIFO opened without O_NONBLOCK waits for a writer; O_NOCTTY keeps a terminal from becoming ours.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** What a file that is not a regular file is, in a few words. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'a special file';
}

const notRegular = (stats: Stats) => ({
  ok: false as const,
  reason: `is ${kindOf(stats)}, not a regular file`,
});

const tooLarge = (maxBytes: number) => ({
  ok: false as const,
  reason: `is larger than ${maxBytes} bytes`,
});

function unreadable(error: unknown): { ok: false; reason: string } {
  const code = fileErrorCode(error);
  const hint =
    code === 'ENOENT'
      ? 'does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'cannot be read: permission denied'
        : 'cannot be read';
  return { ok: false, reason: `${hint} (${code})` };
}

/**
 * Reads a regular file of at most `maxBytes`. Anything else — a FIFO (which would block), a device
 * such as /dev/zero (which never ends), a directory, a socket — is refused before a byte is read:
 * checked by `stat` before opening (opening some devices acts on them) and again by `fstat` on the
 * opened handle (the path may have been swapped in between). Never reads more than `maxBytes + 1`.
 * The reason names the problem and the error code, never the file's content.
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<RegularFileRead> {
  try {
    const before = await stat(path);
    if (!before.isFile()) return notRegular(before);
    if (before.size > maxBytes) return tooLarge(maxBytes);
  } catch (error) {
    return unreadable(error);
  }
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    return unreadable(error);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return notRegular(stats);
    if (stats.size > maxBytes) return tooLarge(maxBytes);
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) return tooLarge(maxBytes);
    return { ok: true, bytes: buffer.subarray(0, length), stats };
  } catch (error) {
    return unreadable(error);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
