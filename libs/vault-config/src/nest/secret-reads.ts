import type { SecretDescription } from '../interfaces/secret-description.interface.js';

/** One loaded key: where it came from and how often the app read it since boot (never its value). */
export interface SecretUsage {
  key: string;
  /** `vault:<mount>/<path>`, `env:<VARIABLE>` or `default`. */
  source: string;
  reads: number;
}

/** The reads of one key since boot; shared by every cache entry of the key. @internal */
export interface ReadTally {
  n: number;
}

/** A cache entry: a key's value in the current values, and its tally. @internal */
export interface CountedValue {
  readonly value: unknown;
  readonly reads: ReadTally;
}

/** Key → cache entry, without a prototype (any key name is safe). @internal */
export type CountedValues = Record<string, CountedValue | undefined>;

/** A fresh, empty cache: made whenever the values it caches are replaced. @internal */
export const countedValues = (): CountedValues => Object.create(null) as CountedValues;

/**
 * How often each key was read through `SecretsService` and `ConfigService` of one module since
 * boot. Only keys with a value are counted (a name read in vain is not kept), so it never grows
 * beyond the keys loaded. The services keep a `CountedValues` cache per set of values, so a read
 * is one lookup and one increment, as fast as the read alone (`bench:runtime`). @internal
 */
export class SecretReads {
  readonly #tallies = new Map<string, ReadTally>();

  /** Caches `value` for `key` in `cache`, counts this read and returns the value. */
  first(cache: CountedValues, key: string, value: unknown): unknown {
    let reads = this.#tallies.get(key);
    if (!reads) {
      reads = { n: 0 };
      this.#tallies.set(key, reads);
    }
    reads.n++;
    cache[key] = { value, reads };
    return value;
  }

  /** Every key of `descriptions` (the current snapshot), in its order, with its reads. */
  usage(descriptions: readonly SecretDescription[]): SecretUsage[] {
    return descriptions.map(d => ({
      key: d.key,
      source: sourceOf(d),
      reads: this.#tallies.get(d.key)?.n ?? 0,
    }));
  }
}

function sourceOf(d: SecretDescription): string {
  if (d.source === 'vault') return `vault:${d.mount ?? ''}/${d.path ?? ''}`;
  if (d.source === 'env') return `env:${d.envVar ?? d.key}`;
  return 'default';
}

const byRuntime = new WeakMap<object, SecretReads>();

/**
 * The counter of one module (keyed by its runtime): its SecretsService and ConfigService share it.
 * @internal
 */
export function secretReadsOf(runtime: object): SecretReads {
  let reads = byRuntime.get(runtime);
  if (!reads) {
    reads = new SecretReads();
    byRuntime.set(runtime, reads);
  }
  return reads;
}
