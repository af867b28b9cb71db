import type { EngineRequest } from '../engines/secret-engine.interface.js';
import type { MountEntry } from './mount-entry.js';
import type { Namespace } from './namespace.js';
import type { VaultCore } from './vault-core.js';

/**
 * A request as the router builds it: the whole namespace, mount and core. Engines take it as an
 * EngineRequest; `sys/` and its feature routes need all of it (mount tables, namespaces, seal).
 */
export interface CoreRequest extends EngineRequest {
  namespace: Namespace;
  mount: MountEntry;
  core: VaultCore;
}
