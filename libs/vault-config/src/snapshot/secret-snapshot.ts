import type { LoadSummary } from '../interfaces/load-summary.interface.js';
import type { SecretDescription } from '../interfaces/secret-description.interface.js';
import type { SecretKey, SecretValue } from '../interfaces/secret-key.interface.js';
import { INSPECT } from '../utils/inspect.js';

export interface SnapshotEntry {
  value: unknown;
  description: SecretDescription;
}

/**
 * The immutable result of one load. Values live in a private Map (no prototype, so keys such as
 * `__proto__` or `a.b` are plain data) and never appear in `util.inspect`, `JSON.stringify`,
 * `String()` or template strings: those print `[SecretSnapshot: N keys]`.
 */
export class SecretSnapshot<T extends object = Record<string, string>> {
  readonly #entries: ReadonlyMap<string, SnapshotEntry>;
  readonly summary: LoadSummary;

  constructor(entries: Iterable<readonly [string, SnapshotEntry]>, summary: LoadSummary) {
    const map = new Map<string, SnapshotEntry>();
    for (const [key, entry] of entries) {
      // A frozen description cannot change under us: shared, not copied (10,000 keys, 10,000 objects).
      const { description } = entry;
      map.set(key, {
        value: entry.value,
        description: Object.isFrozen(description) ? description : Object.freeze({ ...description }),
      });
    }
    this.#entries = map;
    this.summary = Object.freeze({ ...summary });
    Object.freeze(this);
  }

  /** The value of `key` in this snapshot, or `undefined`. */
  get<K extends SecretKey<T>>(key: K): SecretValue<T, K> | undefined {
    return this.#entries.get(key)?.value as SecretValue<T, K> | undefined;
  }

  /** Whether `key` has a value in this snapshot. */
  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** The names of the keys in this snapshot (never the values). */
  keys(): string[] {
    return [...this.#entries.keys()];
  }

  /** Where each key came from — never its value. */
  describe(): SecretDescription[] {
    return [...this.#entries.values()].map(e => ({ ...e.description }));
  }

  /** A fresh null-prototype copy of the values, e.g. for `new ConfigService(...)`. */
  toConfigObject(): Record<string, unknown> {
    const out = Object.create(null) as Record<string, unknown>;
    for (const [key, entry] of this.#entries) {
      Object.defineProperty(out, key, {
        value: entry.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }

  toString(): string {
    return `[SecretSnapshot: ${this.#entries.size} keys]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [INSPECT](): string {
    return this.toString();
  }
}
