import type { AclPolicy } from '../policy/index.js';

/** A namespace as engines see it on a request: its path and policies, not its mounts. */
export interface NamespaceInfo {
  /** `''` for the root namespace, else `team-a/` or `team-a/child/`. */
  readonly path: string;
  readonly policies: ReadonlyMap<string, AclPolicy>;
}
