import { describe, expect, it } from '@jest/globals';
import { ownerProblem } from './file-owner.js';

describe('ownerProblem', () => {
  const file = { uid: 1000, gid: 50 };

  it('lets root and the owner in one of its groups keep owner and group', () => {
    expect(ownerProblem(file, { uid: 0, gid: 0, groups: [0] })).toBeUndefined();
    expect(ownerProblem(file, { uid: 1000, gid: 1000, groups: [1000, 50] })).toBeUndefined();
    expect(ownerProblem(file, { uid: 1000, gid: 50, groups: [] })).toBeUndefined();
    expect(ownerProblem(file, undefined)).toBeUndefined();
  });

  it('says why another user cannot, and what to do', () => {
    expect(ownerProblem(file, { uid: 2000, gid: 50, groups: [50] })).toBe(
      'is owned by uid 1000, but this command runs as uid 2000: the rewritten file would change ' +
        'owner (only root may keep it). Run migrate --sanitize as uid 1000 or as root; nothing was ' +
        'changed',
    );
    expect(ownerProblem(file, { uid: 1000, gid: 1000, groups: [1000] })).toBe(
      'belongs to group 50, which uid 1000 is not a member of: the rewritten file would change ' +
        'group. Run migrate --sanitize as a member of group 50 or as root; nothing was changed',
    );
  });
});
