import type { SecretEngine } from '../engines/secret-engine.interface.js';
import type { Namespace } from './namespace.js';
import type { VaultCore } from './vault-core.js';

export type EngineFactory = (core: VaultCore) => SecretEngine;
export type AuthSeeder = (core: VaultCore, ns: Namespace, section: Record<string, unknown>) => void;

/** Engine types beyond KV, registered by the server (database, approle, kubernetes...). */
export class EngineRegistry {
  readonly secretFactories = new Map<string, EngineFactory>();
  readonly authFactories = new Map<string, EngineFactory>();
  readonly authSeeders = new Map<string, AuthSeeder>();
  onUnmount?: (ns: Namespace, path: string) => void;
}
