import { INSPECT } from '../utils/inspect.js';
import { ConfigService } from '@nestjs/config';
import { isDeepStrictEqual } from 'node:util';
import type { SecretSnapshot } from '../snapshot/secret-snapshot.js';
import { countedValues, secretReadsOf, type SecretReads } from './secret-reads.js';

/** What the service copies from a snapshot of any shape. */
type ConfigValues = Pick<SecretSnapshot<object>, 'toConfigObject' | 'keys'>;

/** `@nestjs/config`'s `ConfigChangeEvent`: the shape its own `set()` emits on `changes$`. */
interface ConfigChange {
  path: string;
  oldValue: unknown;
  newValue: unknown;
}

/**
 * The Subject behind `changes$`, when the installed `@nestjs/config` has one (12: a private
 * `_changes$` that `set()` feeds; `changes$` is its `asObservable()`). Older versions have none:
 * then nothing is emitted.
 */
function changesSubjectOf(
  service: ConfigService,
): { next(change: ConfigChange): void } | undefined {
  const subject = (service as unknown as { _changes$?: { next?: unknown } })._changes$;
  return typeof subject?.next === 'function'
    ? (subject as { next(change: ConfigChange): void })
    : undefined;
}

/**
 * `ConfigService` keeps its values in plain own properties, so `util.inspect` or `JSON.stringify`
 * of the service would print every secret; this subclass prints a summary instead and is
 * otherwise the unchanged `@nestjs/config` service.
 */
class RedactedConfigService extends ConfigService {
  #keyCount: number;
  readonly #values: Record<string, unknown>;
  /** Snapshot keys read so far, each with its tally (`SecretsService.usage()`); reset with the values. */
  #counted = countedValues();

  constructor(values: Record<string, unknown>, keyCount: number, reads: SecretReads) {
    super(values);
    this.#values = values;
    this.#keyCount = keyCount;
    const lookUp = this.get.bind(this) as (...args: unknown[]) => unknown;
    // Snapshot keys are flat: found ones are answered from the values directly, skipping the path
    // parsing of ConfigService.get (its slow part); anything else (nested paths, process.env,
    // defaults, `infer`) goes the usual way, so the results are the same.
    this.get = (path: unknown, ...rest: unknown[]) => {
      if (typeof path === 'string') {
        // A counted read is one lookup, as the uncounted one was: bench:runtime keeps its target.
        const counted = this.#counted[path];
        if (counted !== undefined) {
          counted.reads.n++;
          return counted.value;
        }
        const value = values[path];
        if (value !== undefined) return reads.first(this.#counted, path, value);
      }
      return lookUp(path, ...rest);
    };
  }

  /**
   * Puts a new snapshot's values in place, in one synchronous step, then emits one `changes$`
   * event per key whose value changed or was removed, in key order — once every new value is
   * readable through `get`. `ConfigService.set` is not used: it also copies each value into
   * `process.env`.
   */
  replaceValues(snapshot: ConfigValues): void {
    this.#counted = countedValues();
    const next = snapshot.toConfigObject();
    const changes: ConfigChange[] = [];
    for (const path of [...new Set([...Object.keys(this.#values), ...Object.keys(next)])].sort()) {
      const oldValue = Object.hasOwn(this.#values, path) ? this.#values[path] : undefined;
      const newValue = Object.hasOwn(next, path) ? next[path] : undefined;
      if (!isDeepStrictEqual(oldValue, newValue)) changes.push({ path, oldValue, newValue });
    }
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
    const subject = changes.length ? changesSubjectOf(this) : undefined;
    for (const change of changes) subject?.next(change);
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
  const service = new RedactedConfigService(
    snapshot.toConfigObject(),
    snapshot.keys().length,
    secretReadsOf(source),
  );
  feed?.onSnapshot(next => service.replaceValues(next));
  return service;
}
