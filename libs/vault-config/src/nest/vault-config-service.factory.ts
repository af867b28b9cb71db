import { INSPECT } from '../utils/inspect.js';
import { ConfigService } from '@nestjs/config';
import type { SecretSnapshot } from '../snapshot/secret-snapshot.js';

/** What the service copies from a snapshot of any shape. */
type ConfigValues = Pick<SecretSnapshot<object>, 'toConfigObject' | 'keys'>;

/**
 * `ConfigService` keeps its values in plain own properties, so `util.inspect` or `JSON.stringify`
 * of the service would print every secret; this subclass prints a summary instead and is
 * otherwise the unchanged `@nestjs/config` service.
 */
class RedactedConfigService extends ConfigService {
  #keyCount: number;
  readonly #values: Record<string, unknown>;

  constructor(values: Record<string, unknown>, keyCount: number) {
    super(values);
    this.#values = values;
    this.#keyCount = keyCount;
    const lookUp = this.get.bind(this) as (...args: unknown[]) => unknown;
    // Snapshot keys are flat: found ones are answered from the values directly, skipping the path
    // parsing of ConfigService.get (its slow part); anything else (nested paths, process.env,
    // defaults, `infer`) goes the usual way, so the results are the same.
    this.get = (path: unknown, ...rest: unknown[]) => {
      if (typeof path === 'string') {
        const value = values[path];
        if (value !== undefined) return value;
      }
      return lookUp(path, ...rest);
    };
  }

  /**
   * Puts a new snapshot's values in place, in one synchronous step. `ConfigService.set` is not
   * used: it also copies each value into `process.env`.
   */
  replaceValues(snapshot: ConfigValues): void {
    const next = snapshot.toConfigObject();
    for (const key of Object.keys(this.#values)) {
      if (!Object.hasOwn(next, key)) delete this.#values[key];
    }
    for (const key of Object.keys(next)) {
      Object.defineProperty(this.#values, key, {
        value: next[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    this.#keyCount = snapshot.keys().length;
  }

  #label(): string {
    return `ConfigService [${this.#keyCount} keys from nestjs-vault-config, values redacted]`;
  }

  [INSPECT](): string {
    return this.#label();
  }

  toJSON(): string {
    return this.#label();
  }

  override toString(): string {
    return this.#label();
  }
}

/** What the ConfigService follows: the current snapshot and its replacements. @internal */
export interface SnapshotFeed {
  readonly snapshot: ConfigValues;
  onSnapshot(sink: (snapshot: ConfigValues) => void): void;
}

/**
 * A `ConfigService` whose internal config is a copy of the snapshot's values; with a feed, it is
 * updated whenever a refresh installs a new snapshot. @internal
 */
export function createVaultConfigService(source: ConfigValues | SnapshotFeed): ConfigService {
  const feed = 'onSnapshot' in source ? source : undefined;
  const snapshot = feed ? feed.snapshot : (source as ConfigValues);
  const service = new RedactedConfigService(snapshot.toConfigObject(), snapshot.keys().length);
  feed?.onSnapshot(next => service.replaceValues(next));
  return service;
}
