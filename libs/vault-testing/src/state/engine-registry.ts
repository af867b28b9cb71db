import type { EngineHost } from '../engines/engine-host.interface.js';
import type { SecretEngine } from '../engines/secret-engine.interface.js';
import type { MountEntry } from './mount-entry.js';
import type { MountSpec } from './mount-spec.interface.js';
import type { Namespace } from './namespace.js';

export type EngineFactory = (host: EngineHost) => SecretEngine;

/** What a seeder needs of the core: enabling the auth mount it fills. */
export interface AuthMounts {
  enableAuth(ns: Namespace, rawPath: string, spec: MountSpec): MountEntry;
}

export type AuthSeeder = (
  core: AuthMounts,
  ns: Namespace,
  section: Record<string, unknown>,
) => void;

/** Engine types beyond KV, registered by the server (database, approle, kubernetes...). */
export class EngineRegistry {
  readonly secretFactories = new Map<string, EngineFactory>();
  readonly authFactories = new Map<string, EngineFactory>();
  readonly authSeeders = new Map<string, AuthSeeder>();
  onUnmount?: (ns: Namespace, path: string) => void;
}
