import { VaultHttpError } from '../http/vault-http.error.js';
import type { VaultResult } from '../http/vault-result.interface.js';
import type { CoreRequest } from '../state/core-request.interface.js';
import { describeMount, type MountEntry } from '../state/mount-entry.js';
import { safeRecord } from '../util/safe-object.js';
import { hasAccessUnder } from './mount-access.js';

/** `sys/internal/ui/mounts[/<path>]`: the mounts the caller's policies reach (client KV detection). */
export function uiMountRoutes(req: CoreRequest, path: string): VaultResult | undefined {
  if (path === 'internal/ui/mounts') return uiMounts(req);
  if (path.startsWith('internal/ui/mounts/'))
    return uiMount(req, path.slice('internal/ui/mounts/'.length));
  return undefined;
}

function uiMounts(req: CoreRequest): VaultResult {
  if (req.operation !== 'read') throw VaultHttpError.unsupportedOperation();
  const secret = safeRecord();
  const auth = safeRecord();
  for (const mount of req.namespace.mounts.values()) {
    if (canSee(req, mount.path)) secret[mount.path] = describeMount(mount);
  }
  for (const mount of req.namespace.authMounts.values()) {
    if (canSee(req, `auth/${mount.path}`)) auth[mount.path] = describeMount(mount);
  }
  return { data: { auth, secret } };
}

function uiMount(req: CoreRequest, rest: string): VaultResult {
  if (req.operation !== 'read') throw VaultHttpError.unsupportedOperation();
  if (!req.token) throw VaultHttpError.invalidToken();
  let mount: MountEntry | undefined;
  let prefix = '';
  if (rest.startsWith('auth/')) {
    mount = req.namespace.findAuthMount(rest.slice('auth/'.length));
    prefix = 'auth/';
  } else {
    mount = req.namespace.findMount(rest);
  }
  if (!mount || !canSee(req, `${prefix}${mount.path}`)) {
    const shown = mount ? `${prefix}${mount.path}` : `${rest.split('/')[0] ?? ''}/`;
    throw new VaultHttpError(403, [
      `preflight capability check returned 403, please ensure client's policies grant access to path "${shown}"`,
    ]);
  }
  return { data: { ...describeMount(mount), path: mount.path } };
}

function canSee(req: CoreRequest, mountPath: string): boolean {
  if (!req.token) return false;
  const acl = req.acl ?? req.core.aclFor(req.token);
  if (req.token.policies.includes('root')) return true;
  const ns = req.core.namespaceByPath(req.token.namespace) ?? req.core.root;
  const relative = req.namespace.path.slice(ns.path.length) + mountPath;
  return hasAccessUnder(
    acl,
    req.token.policies.map(p => ns.policies.get(p)),
    relative,
  );
}
