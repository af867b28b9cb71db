import { VaultHttpError } from '../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../http/vault-result.interface.js';
import type { CoreRequest } from '../state/core-request.interface.js';
import { describeMount, type MountEntry } from '../state/mount-entry.js';
import type { MountSpec } from '../state/mount-spec.interface.js';
import { safeRecord } from '../util/safe-object.js';

/** `sys/mounts[/<path>[/tune]]` and `sys/auth[/<path>[/tune]]`: the two mount tables. */
export function mountRoutes(req: CoreRequest, path: string): VaultResult | undefined {
  const op = req.operation;
  if (path === 'mounts') {
    if (op !== 'read') throw VaultHttpError.unsupportedOperation();
    return { data: describeAll(req.namespace.mounts), mergeTopLevel: true };
  }
  if (path.startsWith('mounts/')) return secretMount(req, path.slice('mounts/'.length));
  if (path === 'auth') {
    if (op !== 'read') throw VaultHttpError.unsupportedOperation();
    return { data: describeAll(req.namespace.authMounts), mergeTopLevel: true };
  }
  if (path.startsWith('auth/')) return authMount(req, path.slice('auth/'.length));
  return undefined;
}

function secretMount(req: CoreRequest, rest: string): VaultResult {
  const { core, namespace: ns, operation: op } = req;
  if (rest.endsWith('/tune') || rest.endsWith('/tune/')) {
    const mount = ns.findMount(rest.replace(/\/tune\/?$/, ''));
    if (!mount)
      throw VaultHttpError.badRequest(
        `cannot fetch sysview for path "${rest.replace(/\/tune\/?$/, '')}/"`,
      );
    if (op === 'read') {
      return {
        data: {
          default_lease_ttl: mount.config.default_lease_ttl || 2764800,
          description: mount.description,
          force_no_cache: false,
          max_lease_ttl: mount.config.max_lease_ttl || 2764800,
          options: mount.options,
        },
        mergeTopLevel: true,
      };
    }
    if (op === 'create' || op === 'update') return NO_CONTENT;
    throw VaultHttpError.unsupportedOperation();
  }
  if (op === 'create' || op === 'update') {
    core.enableMount(ns, rest, mountSpecFrom(req.body));
    return NO_CONTENT;
  }
  if (op === 'delete') {
    core.disableMount(ns, rest);
    return NO_CONTENT;
  }
  if (op === 'read') {
    const mount = ns.mounts.get(rest.endsWith('/') ? rest : `${rest}/`);
    if (!mount)
      throw VaultHttpError.badRequest(`No secret engine mount at ${rest.replace(/\/$/, '')}/`);
    return { data: describeMount(mount), mergeTopLevel: true };
  }
  throw VaultHttpError.unsupportedOperation();
}

function authMount(req: CoreRequest, rest: string): VaultResult {
  const { core, namespace: ns, operation: op } = req;
  if (rest.endsWith('/tune') || rest.endsWith('/tune/')) {
    if (op === 'read') {
      const mount = ns.authMounts.get(`${rest.replace(/\/tune\/?$/, '')}/`);
      if (!mount) throw VaultHttpError.badRequest('cannot fetch sysview for path');
      return {
        data: {
          default_lease_ttl: mount.config.default_lease_ttl || 2764800,
          description: mount.description,
          force_no_cache: false,
          max_lease_ttl: mount.config.max_lease_ttl || 2764800,
          token_type: 'default-service',
        },
        mergeTopLevel: true,
      };
    }
    if (op === 'create' || op === 'update') return NO_CONTENT;
    throw VaultHttpError.unsupportedOperation();
  }
  if (op === 'create' || op === 'update') {
    core.enableAuth(ns, rest, mountSpecFrom(req.body));
    return NO_CONTENT;
  }
  if (op === 'delete') {
    core.disableAuth(ns, rest);
    return NO_CONTENT;
  }
  if (op === 'read') {
    const mount = ns.authMounts.get(rest.endsWith('/') ? rest : `${rest}/`);
    if (!mount) throw VaultHttpError.badRequest(`No auth engine at ${rest.replace(/\/$/, '')}/`);
    return { data: describeMount(mount), mergeTopLevel: true };
  }
  throw VaultHttpError.unsupportedOperation();
}

function describeAll(map: Map<string, MountEntry>): Record<string, unknown> {
  const out = safeRecord();
  for (const [path, mount] of map) out[path] = describeMount(mount);
  return out;
}

/** The body of `POST sys/mounts/<path>` and `POST sys/auth/<path>` (same fields for both). */
function mountSpecFrom(body: CoreRequest['body']): MountSpec {
  return {
    type: body.type as string,
    description: body.description as string | undefined,
    options: body.options,
    config: body.config,
    local: body.local === true,
    sealWrap: body.seal_wrap === true,
  };
}
