import type { AuthMounts } from '../state/engine-registry.js';
import type { Namespace } from '../state/namespace.js';
import type { SafeRecord } from '../util/safe-object.js';
import { AppRoleBackend } from './approle.backend.js';
import { asText } from '../util/as-text.js';

/** Seeds `auth.approle`: enables the mount if needed, writes roles with fixed role/secret IDs. */
export function seedAppRole(
  core: AuthMounts,
  ns: Namespace,
  section: Record<string, unknown>,
): void {
  const path = `${asText(section.path ?? 'approle').replace(/^\/+|\/+$/g, '')}/`;
  let mount = ns.authMounts.get(path);
  if (!mount) mount = core.enableAuth(ns, path, { type: 'approle' });
  const backend = mount.engine;
  if (!(backend instanceof AppRoleBackend)) throw new Error(`auth mount ${path} is not approle`);
  const roles = (section.roles ?? {}) as Record<string, SafeRecord>;
  for (const [name, spec] of Object.entries(roles)) {
    const role = backend.writeRole(name.toLowerCase(), spec);
    if (typeof spec.secret_id === 'string' && spec.secret_id !== '') {
      backend.issue(role, spec.secret_id, {});
    }
  }
}
