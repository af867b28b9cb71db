import type { AclPolicy } from '../policy/index.js';
import type { MountEntry } from './mount-entry.js';
import type { NamespaceInfo } from './namespace-info.interface.js';

/** One namespace's isolated tree: secret mounts, auth mounts, policies and child namespaces. */
export class Namespace implements NamespaceInfo {
  readonly mounts = new Map<string, MountEntry>();
  readonly authMounts = new Map<string, MountEntry>();
  readonly policies = new Map<string, AclPolicy>();
  readonly policyModified = new Map<string, number>();
  readonly children = new Map<string, Namespace>();

  /** `path` is `''` for the root namespace, else `team-a/` or `team-a/child/`. */
  constructor(
    readonly path: string,
    readonly id: string,
    readonly parent: Namespace | undefined,
    readonly customMetadata: Record<string, string> = {},
  ) {}

  get isRoot(): boolean {
    return this.path === '';
  }

  /** The longest mount whose path prefixes `apiPath` (`secret` matches mount `secret/`). */
  findMount(apiPath: string): MountEntry | undefined {
    return longestPrefix(this.mounts, apiPath);
  }

  findAuthMount(pathUnderAuth: string): MountEntry | undefined {
    return longestPrefix(this.authMounts, pathUnderAuth);
  }
}

function longestPrefix(map: Map<string, MountEntry>, path: string): MountEntry | undefined {
  const withSlash = path.endsWith('/') ? path : `${path}/`;
  let best: MountEntry | undefined;
  for (const mount of map.values()) {
    if (withSlash.startsWith(mount.path) && (!best || mount.path.length > best.path.length))
      best = mount;
  }
  return best;
}
