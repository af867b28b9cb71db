import { inspect } from 'node:util';
import { Inject, Injectable } from '@nestjs/common';
import {
  MissingSecretsError,
  type LoadSummary,
  type SecretDescription,
  type SecretSnapshot,
} from '../public-api.js';
import { VAULT_SECRET_SNAPSHOT } from '../vault-config.constants.js';

/**
 * Read access to the secrets loaded at startup. Give it a type to get typed values:
 * `SecretsService<BillingSecrets>` (e.g. the `schema` class you passed).
 *
 * Prints redacted under `util.inspect`, `JSON.stringify`, `String()` and Nest's `Logger`.
 * @publicApi
 */
@Injectable()
export class SecretsService<T extends Record<string, unknown> = Record<string, unknown>> {
  readonly #snapshot: SecretSnapshot<T>;

  constructor(@Inject(VAULT_SECRET_SNAPSHOT) snapshot: SecretSnapshot<T>) {
    this.#snapshot = snapshot;
  }

  /** The value of `key`, or `undefined` when no source, environment or default set it. */
  get<K extends keyof T & string>(key: K): T[K] | undefined {
    return this.#snapshot.get(key);
  }

  /** The value of `key`; throws `MissingSecretsError` naming the key (never a value) when unset. */
  getOrThrow<K extends keyof T & string>(key: K): NonNullable<T[K]> {
    const value = this.#snapshot.get(key);
    if (value === undefined || value === null) {
      throw new MissingSecretsError([{ key, lookedIn: ['the loaded secret snapshot'] }]);
    }
    return value as NonNullable<T[K]>;
  }

  has(key: string): boolean {
    return this.#snapshot.has(key);
  }

  keys(): string[] {
    return this.#snapshot.keys();
  }

  /** Where each key came from (mount, path, KV version, secret version) — never a value. */
  describe(): SecretDescription[] {
    return this.#snapshot.describe();
  }

  /** Counts, duration and auth method of the load — no values. */
  get summary(): LoadSummary {
    return this.#snapshot.summary;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  toJSON(): string {
    return this.toString();
  }

  toString(): string {
    return `SecretsService [${this.#snapshot.keys().length} keys, values redacted]`;
  }
}
