import type { SecretEngine } from '../engines/secret-engine.interface.js';
import type { MountInfo } from './mount-info.interface.js';

/** A secrets engine or auth method mounted at `path` (always ending in `/`). */
export interface MountEntry extends MountInfo {
  readonly engine: SecretEngine;
}

export const VAULT_VERSION = '1.17.0';

const BUILTIN_CORE = new Set(['system', 'identity', 'cubbyhole', 'token']);

/** A mount as `sys/mounts` and `sys/internal/ui/mounts` describe it. */
export function describeMount(mount: MountInfo): Record<string, unknown> {
  return {
    accessor: mount.accessor,
    config: { ...mount.config },
    ...(BUILTIN_CORE.has(mount.type) ? {} : { deprecation_status: 'supported' }),
    description: mount.description,
    external_entropy_access: false,
    local: mount.local,
    options: mount.options ? { ...mount.options } : null,
    plugin_version: '',
    running_plugin_version: `v${VAULT_VERSION}+builtin.vault`,
    running_sha256: '',
    seal_wrap: mount.sealWrap,
    type: mount.type,
    uuid: mount.uuid,
  };
}
