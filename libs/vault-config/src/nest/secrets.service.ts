import { INSPECT } from '../utils/inspect.js';
import { Inject, Injectable } from '@nestjs/common';
import { MissingSecretsError } from '../errors/missing-secrets.error.js';
import type { LoadSummary } from '../interfaces/load-summary.interface.js';
import type { SecretDescription } from '../interfaces/secret-description.interface.js';
import type { SecretKey, SecretValue } from '../interfaces/secret-key.interface.js';
import type { SecretSnapshot } from '../snapshot/secret-snapshot.js';
import type {
  SecretsChangedListener,
  SecretsRefreshResult,
} from '../interfaces/secrets-changed-event.interface.js';
import type { SecretsSource } from '../runtime/secrets-source.interface.js';
import { exposeSecretsSource } from '../runtime/secrets-source-of.js';
import { VAULT_SECRETS_RUNTIME } from './vault-config.constants.js';
import {
  countedValues,
  secretReadsOf,
  type SecretReads,
  type SecretUsage,
} from './secret-reads.js';

/**
 * Read access to the secrets loaded from Vault. Give it a type to get typed values:
 * `SecretsService<BillingSecrets>` (e.g. the `schema` class you passed). Every read sees the
 * current snapshot: after a refresh that changed something, new values (and `ConfigService`) are
 * in place before `onSecretsChanged` listeners run.
 *
 * Prints redacted under `util.inspect`, `JSON.stringify`, `String()` and Nest's `Logger`.
 * @publicApi
 */
@Injectable()
export class SecretsService<T extends object = Record<string, string>> {
  readonly #source: SecretsSource;
  readonly #reads: SecretReads;
  /** Keys read from `#countedSnapshot`, each with its tally: a counted read is one lookup. */
  #counted = countedValues();
  #countedSnapshot: object | undefined;

  constructor(@Inject(VAULT_SECRETS_RUNTIME) source: SecretsSource) {
    this.#source = source;
    this.#reads = secretReadsOf(source);
    exposeSecretsSource(this, source);
  }

  /** The value of `key`, or `undefined` when no source, environment or default set it. */
  get<K extends SecretKey<T>>(key: K): SecretValue<T, K> | undefined {
    return this.#read(key) as SecretValue<T, K> | undefined;
  }

  /** The value of `key`; throws `MissingSecretsError` naming the key (never a value) when unset. */
  getOrThrow<K extends SecretKey<T>>(key: K): NonNullable<SecretValue<T, K>> {
    const value = this.#read(key) as SecretValue<T, K> | undefined;
    if (value === undefined || value === null) {
      throw new MissingSecretsError([{ key, lookedIn: ['the loaded secret snapshot'] }]);
    }
    return value;
  }

  /** The value of `key` in the current snapshot, its read counted when it has one. */
  #read(key: string): unknown {
    const snapshot = this.#source.snapshot;
    if (snapshot !== this.#countedSnapshot) {
      this.#counted = countedValues();
      this.#countedSnapshot = snapshot;
    }
    const counted = this.#counted[key];
    if (counted !== undefined) {
      counted.reads.n++;
      return counted.value;
    }
    const value = snapshot.get(key);
    return value === undefined ? undefined : this.#reads.first(this.#counted, key, value);
  }

  /**
   * Every loaded key with where it came from and how often it was read since boot through this
   * service (`get`, `getOrThrow`) and `ConfigService.get` — names and counts, never a value. A key
   * with 0 reads is one the app loads but never uses. Reads of `snapshot` are not counted.
   */
  usage(): SecretUsage[] {
    return this.#reads.usage(this.snapshot.describe());
  }

  /** Whether `key` has a value (from a source, the environment or a default); never reads it. */
  has(key: string): boolean {
    return this.snapshot.has(key);
  }

  /** The names of every key that has a value (never the values). */
  keys(): string[] {
    return this.snapshot.keys();
  }

  /** Where each key came from (mount, path, KV version, secret version) — never a value. */
  describe(): SecretDescription[] {
    return this.snapshot.describe();
  }

  /** Counts, duration and auth method of the load that made the current snapshot — no values. */
  get summary(): LoadSummary {
    return this.snapshot.summary;
  }

  /** The current immutable snapshot: read several keys from one to see one consistent version. */
  get snapshot(): SecretSnapshot<T> {
    return this.#source.snapshot as unknown as SecretSnapshot<T>;
  }

  /**
   * Re-reads every source now (concurrent calls share one refresh). Resolves with the keys that
   * changed; rejects with a typed error when Vault cannot be read — the last good secrets stay.
   */
  refresh(): Promise<SecretsRefreshResult> {
    return this.#source.refresh();
  }

  /**
   * Calls `listener` after every refresh or lease re-issue that changed a value, with the changed
   * keys and versions (never values). Returns a function that unsubscribes.
   */
  onSecretsChanged(listener: SecretsChangedListener): () => void {
    return this.#source.onChange(listener);
  }

  /** What `util.inspect` and Nest's `Logger` print: the key count, never a value. */
  [INSPECT](): string {
    return this.toString();
  }

  /** What `JSON.stringify` prints: the key count, never a value. */
  toJSON(): string {
    return this.toString();
  }

  /** `SecretsService [N keys, values redacted]`. */
  toString(): string {
    return `SecretsService [${this.snapshot.keys().length} keys, values redacted]`;
  }
}
