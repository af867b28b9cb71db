import pg from 'pg';
import { VaultPgPoolError } from '../errors/vault-pg-pool.error.js';
import type { CredentialPoolState } from '../runtime/credential-pools.js';
import { CredentialGeneration } from './credential-generation.js';
import {
  CredentialSource,
  type AnySecretsService,
  type PgCredentials,
} from './credential-source.js';
import { passwordRefused } from './password-refused.js';
import type { VaultPgPoolOptions } from './vault-pg-pool-options.interface.js';
import {
  DEFAULT_DRAIN_TIMEOUT_MS,
  LEASE_END_MARGIN_MS,
  REISSUE_MARGIN_MS,
} from './vault-pg.constants.js';

type Callback = (err: Error | undefined, result?: unknown) => void;
type ConnectCallback = (
  err: Error | undefined,
  client: pg.PoolClient | undefined,
  done: (release?: unknown) => void,
) => void;
const FORWARDED = ['error', 'connect', 'acquire', 'release', 'remove'] as const;
const seconds = (ms: number) => Math.round(ms / 100) / 10;

/**
 * A `pg.Pool` whose credentials follow two keys of a `SecretsService`. Inside, one `pg.Pool` per
 * credential set (a `CredentialGeneration`): checkouts come from the newest; on a change event for
 * the keys a new one takes over and the old one drains, then its lease is revoked. Prints no
 * credential: `util.inspect` shows the counts.
 */
export class VaultPgPool extends pg.Pool {
  readonly #source: CredentialSource;
  readonly #config: pg.PoolConfig;
  readonly #drainTimeoutMs: number;
  readonly #draining = new Set<CredentialGeneration>();
  readonly #stops: Array<() => void> = [];
  #current: CredentialGeneration;
  #revokeFailures = 0;
  #end: Promise<void> | undefined;

  constructor(secrets: AnySecretsService, options: VaultPgPoolOptions) {
    const { user: _user, password: _password, ...config } = options.pool ?? {};
    super(config);
    const drain = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
    if (!Number.isFinite(drain) || drain < 0) {
      throw new VaultPgPoolError('drainTimeoutMs', 'must be a number of milliseconds ≥ 0');
    }
    this.#drainTimeoutMs = drain;
    this.#config = config;
    this.#source = new CredentialSource(secrets, options.user, options.password);
    this.#current = this.#generation(this.#source.read());
    this.#stops.push(
      this.#source.onChange(() => this.#swap()),
      this.#source.attach(drain + REISSUE_MARGIN_MS),
      this.#source.board?.add(() => this.state()) ?? (() => undefined),
    );
  }

  // pg's overloads: connect() → Promise<PoolClient>, connect(callback) → void.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override connect(callback?: ConnectCallback): any {
    const checkout = this.#checkout();
    if (!callback) return checkout;
    checkout.then(
      client => callback(undefined, client, (e?: unknown) => client.release(e as Error)),
      (error: Error) => callback(error, undefined, () => undefined),
    );
    return undefined;
  }

  // pg's overloads: (text | config, values?, callback?) → Promise<QueryResult> or void.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const callback = typeof args.at(-1) === 'function' ? (args.pop() as Callback) : undefined;
    const result = this.#checkout().then(async client => {
      try {
        // eslint-disable-next-line @typescript-eslint/no-unsafe-argument
        const answer = await client.query(args[0], args[1]);
        client.release();
        return answer;
      } catch (error) {
        client.release(error as Error);
        throw error;
      }
    });
    if (!callback) return result;
    result.then(
      answer => callback(undefined, answer),
      (error: Error) => callback(error),
    );
    return undefined;
  }

  /** Ends every pool (each once its clients are released) and releases every lease it held. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override end(callback?: () => void): any {
    Object.assign(this, { ending: true });
    this.#end ??= this.#endAll();
    if (!callback) return this.#end;
    void this.#end.then(callback, callback);
    return undefined;
  }

  /** Names and numbers only: what health and metrics show. */
  state(): CredentialPoolState {
    const now = Date.now();
    const expiresAt = this.#current.expiresAt;
    return {
      name: this.#source.name,
      kind: this.#source.kind,
      credentialAgeS: seconds(now - this.#current.createdAt),
      ...(expiresAt !== undefined
        ? { leaseRemainingS: seconds(Math.max(0, expiresAt - now)) }
        : {}),
      draining: this.#draining.size,
      credentialSets: 1 + this.#draining.size,
      revokeFailures: this.#revokeFailures,
    };
  }

  /** The pools on every credential set alive: the current one first. */
  get generations(): readonly CredentialGeneration[] {
    return [this.#current, ...this.#draining];
  }

  async #checkout(retried = false): Promise<pg.PoolClient> {
    if (this.#end) throw new Error('Cannot use a pool after calling end on the pool');
    const generation = this.#current;
    try {
      return await generation.checkout();
    } catch (error) {
      // A static role rotated by Vault before the module read it again: read now and retry once.
      if (retried || this.#source.kind !== 'static' || !passwordRefused(error)) throw error;
      try {
        await this.#source.reread();
      } catch {
        throw error;
      }
      return this.#checkout(true);
    }
  }

  #generation(credentials: PgCredentials): CredentialGeneration {
    const dynamic = this.#source.kind === 'dynamic';
    const generation = new CredentialGeneration(
      this.#config,
      credentials,
      dynamic ? () => this.#source.hold() : undefined,
    );
    for (const event of FORWARDED) {
      generation.pool.on(event, (...args: unknown[]) => this.emit(event, ...args));
    }
    return generation;
  }

  #swap(): void {
    if (this.#end) return;
    const old = this.#current;
    let fresh: PgCredentials;
    try {
      fresh = this.#source.read();
    } catch {
      return; // a key was removed: keep the credentials in use
    }
    if (fresh.user === old.credentials.user && fresh.password === old.credentials.password) return;
    this.#current = this.#generation(fresh);
    void this.#retire(old);
  }

  #retire(generation: CredentialGeneration, drainMs = this.#drainMsOf(generation)): Promise<void> {
    this.#draining.add(generation);
    return generation.retire(drainMs).then(revoked => {
      if (!revoked) this.#revokeFailures++;
      this.#draining.delete(generation);
    });
  }

  /** `drainTimeoutMs`, but never past the lease's expiry less a margin. */
  #drainMsOf(generation: CredentialGeneration): number {
    const expiresAt = generation.expiresAt;
    if (expiresAt === undefined) return this.#drainTimeoutMs;
    const left = expiresAt - Date.now() - LEASE_END_MARGIN_MS;
    return Math.max(0, Math.min(this.#drainTimeoutMs, left));
  }

  async #endAll(): Promise<void> {
    for (const stop of this.#stops.splice(0)) stop();
    const ending = [...this.#draining].map(g => g.retire(this.#drainMsOf(g)));
    await Promise.all([this.#retire(this.#current, this.#drainTimeoutMs), ...ending]);
    Object.assign(this, { ended: true });
  }
}

for (const count of ['totalCount', 'idleCount', 'waitingCount', 'expiredCount'] as const) {
  Object.defineProperty(VaultPgPool.prototype, count, {
    get(this: VaultPgPool): number {
      return this.generations.reduce((sum, g) => sum + g.pool[count], 0);
    },
  });
}
