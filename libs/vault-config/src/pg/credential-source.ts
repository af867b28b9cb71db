import { VaultPgPoolError } from '../errors/vault-pg-pool.error.js';
import type { SecretsChangedEvent } from '../interfaces/secrets-changed-event.interface.js';
import type { SecretsService } from '../nest/secrets.service.js';
import type { ResolvedSecretSource } from '../options/resolved-vault-config-options.interface.js';
import { credentialPoolsOf, type CredentialPoolBoard } from '../runtime/credential-pools.js';
import { leaseHoldsOf, type LeaseHold, type LeaseHolds } from '../runtime/lease-holds.js';
import { secretsSourceOf } from '../runtime/secrets-source-of.js';

/** A `SecretsService` of any secrets type (`SecretsService<BillingSecrets>` included). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySecretsService = SecretsService<any>;

/** A database user name and password, as the pool logs in with them. */
export interface PgCredentials {
  readonly user: string;
  readonly password: string;
}

/**
 * The credentials behind two keys of a `SecretsService`: their current values, their changes, and
 * for a dynamic source its lease (hold, lead time). Values never leave it except to log in.
 */
export class CredentialSource {
  readonly kind: 'dynamic' | 'static';
  readonly name: string;
  readonly #secrets: AnySecretsService;
  readonly #userKey: string;
  readonly #passwordKey: string;
  readonly #index: number | undefined;
  readonly #holds: LeaseHolds | undefined;
  readonly #board: CredentialPoolBoard | undefined;
  #rereading: Promise<void> | undefined;

  constructor(secrets: AnySecretsService, userKey: unknown, passwordKey: unknown) {
    for (const [option, key] of [
      ['user', userKey],
      ['password', passwordKey],
    ] as const) {
      if (typeof key !== 'string' || key === '') {
        throw new VaultPgPoolError(option, 'must name the key that holds it (e.g. "DB_username")');
      }
      if (!secrets.has(key)) {
        throw new VaultPgPoolError(
          option,
          `names "${key}", which has no value: add the source that provides it (e.g. { type: 'dynamic', mount: 'database', path: 'creds/app', prefix: 'DB_' })`,
        );
      }
    }
    this.#secrets = secrets;
    this.#userKey = userKey as string;
    this.#passwordKey = passwordKey as string;
    this.name = this.#userKey;
    const runtime = secretsSourceOf(secrets) as
      (object & { options?: { sources?: ResolvedSecretSource[] } }) | undefined;
    const from = secrets.describe().find(d => d.key === this.#userKey);
    const index = runtime?.options?.sources?.findIndex(
      s => s.type === 'dynamic' && from?.dynamic && s.mount === from.mount && s.path === from.path,
    );
    this.#index = index !== undefined && index >= 0 ? index : undefined;
    this.kind = this.#index === undefined ? 'static' : 'dynamic';
    this.#holds = runtime && this.#index !== undefined ? leaseHoldsOf(runtime) : undefined;
    this.#board = runtime ? credentialPoolsOf(runtime) : undefined;
  }

  read(): PgCredentials {
    const user: unknown = this.#secrets.get(this.#userKey);
    const password: unknown = this.#secrets.get(this.#passwordKey);
    if (typeof user !== 'string' || typeof password !== 'string') {
      const key = typeof user !== 'string' ? this.#userKey : this.#passwordKey;
      throw new VaultPgPoolError(
        key === this.#userKey ? 'user' : 'password',
        `"${key}" has no value`,
      );
    }
    return { user, password };
  }

  /** Calls `listener` after each change event that changed either key. */
  onChange(listener: () => void): () => void {
    const ours = (event: SecretsChangedEvent) =>
      event.changes.some(c => c.key === this.#userKey || c.key === this.#passwordKey);
    return this.#secrets.onSecretsChanged(event => {
      if (ours(event)) listener();
    });
  }

  /** Asks for leases re-issued `leadMs` before they expire; a no-op without a lease. */
  attach(leadMs: number): () => void {
    return this.#index === undefined || !this.#holds
      ? () => undefined
      : this.#holds.attach(this.#index, leadMs);
  }

  /** Holds the current lease (dynamic credentials). */
  hold(): LeaseHold | undefined {
    return this.#index === undefined ? undefined : this.#holds?.hold(this.#index);
  }

  /**
   * Reads the sources again now (a static role's password rotated before the module's own re-read
   * came): the change event swaps the pool's credentials. Concurrent callers share one read.
   */
  reread(): Promise<void> {
    this.#rereading ??= this.#secrets
      .refresh()
      .then(() => undefined)
      .finally(() => {
        this.#rereading = undefined;
      });
    return this.#rereading;
  }

  get board(): CredentialPoolBoard | undefined {
    return this.#board;
  }
}
