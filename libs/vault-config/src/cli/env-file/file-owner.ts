import type { FileHandle } from 'node:fs/promises';

/** Who runs the command: the effective user and the groups it may give a file it creates. */
export interface ProcessUser {
  readonly uid: number;
  readonly gid: number;
  readonly groups: readonly number[];
}

/** Owner and group of a file. */
export interface FileOwner {
  readonly uid: number;
  readonly gid: number;
}

/** The effective user of this process; undefined where the platform has no uids (Windows). */
export function processUser(): ProcessUser | undefined {
  if (!process.geteuid || !process.getegid) return undefined;
  return { uid: process.geteuid(), gid: process.getegid(), groups: process.getgroups?.() ?? [] };
}

/**
 * Why `user` cannot give a new file the owner and group of `file` (only root may give a file away;
 * any user may pick one of its own groups), or undefined when it can. A rewrite is a new file
 * renamed over the old one, so this decides whether --sanitize can keep the owner.
 */
export function ownerProblem(file: FileOwner, user: ProcessUser | undefined): string | undefined {
  if (user === undefined || user.uid === 0) return undefined;
  if (file.uid !== user.uid) {
    return (
      `is owned by uid ${file.uid}, but this command runs as uid ${user.uid}: the rewritten file ` +
      `would change owner (only root may keep it). Run migrate --sanitize as uid ${file.uid} or as ` +
      'root; nothing was changed'
    );
  }
  if (file.gid !== user.gid && !user.groups.includes(file.gid)) {
    return (
      `belongs to group ${file.gid}, which uid ${user.uid} is not a member of: the rewritten file ` +
      `would change group. Run migrate --sanitize as a member of group ${file.gid} or as root; ` +
      'nothing was changed'
    );
  }
  return undefined;
}

/** fchown to `owner` unless the handle has it already (then no privilege is needed). */
export async function giveOwner(handle: FileHandle, owner: FileOwner): Promise<void> {
  const now = await handle.stat();
  if (now.uid !== owner.uid || now.gid !== owner.gid) await handle.chown(owner.uid, owner.gid);
}
