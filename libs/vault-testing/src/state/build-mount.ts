import { randomBytes } from 'node:crypto';
import type { SecretEngine } from '../engines/secret-engine.interface.js';
import { parseDurationSeconds } from '../util/duration.js';
import { newUuid } from '../util/ids.js';
import { isPlainObject, type SafeRecord } from '../util/safe-object.js';
import type { MountEntry } from './mount-entry.js';
import type { MountSpec } from './mount-spec.interface.js';

/** The mount table entry for `engine` at `path`: accessor, uuid and tuning from the spec. */
export function buildMount(
  path: string,
  type: string,
  spec: MountSpec,
  options: Record<string, string> | null,
  engine: SecretEngine,
  accessorPrefix: string,
): MountEntry {
  const config = isPlainObject(spec.config) ? spec.config : ({} as SafeRecord);
  return {
    path,
    type,
    description: typeof spec.description === 'string' ? spec.description : '',
    accessor: `${accessorPrefix === 'auth' ? `auth_${type}` : type}_${randomBytes(4).toString('hex')}`,
    uuid: newUuid(),
    options,
    local: spec.local === true,
    sealWrap: spec.sealWrap === true,
    config: {
      default_lease_ttl: parseDurationSeconds(config.default_lease_ttl, 0),
      max_lease_ttl: parseDurationSeconds(config.max_lease_ttl, 0),
      force_no_cache: config.force_no_cache === true,
    },
    engine,
  };
}
