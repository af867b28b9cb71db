import type { VaultClient } from '../client/vault.client.js';
import { errorName } from '../errors/describe-error.js';
import { VaultPermissionError } from '../errors/vault-permission.error.js';
import type { LoadVaultSecretsContext } from '../interfaces/load-context.interface.js';
import type { LoggerLike } from '../interfaces/logger-like.interface.js';
import type {
  SecretsChangedEvent,
  SecretsChangedListener,
  SecretsRefreshResult,
} from '../interfaces/secrets-changed-event.interface.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import type { SecretsSource } from './secrets-source.interface.js';
import type { VaultRuntimeStatus } from '../interfaces/vault-runtime-status.interface.js';
import { ErrorStreak } from '../lifecycle/error-streak.js';
import { LeaseLifecycle } from '../lifecycle/lease-lifecycle.js';
import { TimerSlot } from '../lifecycle/timer-slot.js';
import { TokenLifecycle } from '../lifecycle/token-lifecycle.js';
import { assembleSnapshot } from '../snapshot/assemble-snapshot.js';
import { performInitialLoad, type InitialLoad } from './initial-load.js';
import type { SourceReadResult } from '../loading/source-read-result.interface.js';
import type { ResolvedVaultConfigOptions } from '../options/resolved-vault-config-options.interface.js';
import { openVaultConnection, type VaultConnection } from '../loading/vault-connection.js';
import type { SecretSnapshot, SnapshotEntry } from '../snapshot/secret-snapshot.js';
import { descriptionsDiffer, diffSecrets } from '../snapshot/diff-secrets.js';
import { unchangedByMetadata } from '../loading/unchanged-by-metadata.js';

type Snapshot = SecretSnapshot<Record<string, unknown>>;
type SnapshotSink = (snapshot: Snapshot) => void;

/**
 * The live side of `VaultConfigModule`: the current snapshot (swapped whole, never edited), the Vault
 * connection kept open after the first load, token renewal, lease renewal of dynamic sources,
 * scheduled refresh, change events and shutdown. Values never leave it except through the snapshot.
 * Not exported: apps use `SecretsService`, `ConfigService` and `VaultHealthIndicator`.
 */
export class VaultSecretsRuntime implements SecretsSource {
  readonly #load: InitialLoad<Record<string, unknown>>;
  readonly #logger: LoggerLike | undefined;
  readonly #refreshTimer = new TimerSlot();
  readonly #refreshStreak: ErrorStreak;
  readonly #leaseStreak: ErrorStreak;
  readonly #listeners = new Set<SecretsChangedListener>();
  readonly #sinks = new Set<SnapshotSink>();
  readonly #leases = new Map<number, LeaseLifecycle>();
  readonly #metadataDenied = new Set<number>();
  #connection: VaultConnection | undefined;
  #token: TokenLifecycle | undefined;
  #snapshot: Snapshot;
  #merged: ReadonlyMap<string, SnapshotEntry>;
  #results: SourceReadResult[];
  #lastSuccessAt = Date.now();
  #refreshing: Promise<SecretsRefreshResult> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(load: InitialLoad<Record<string, unknown>>, logger?: LoggerLike) {
    this.#load = load;
    this.#logger = logger;
    this.#snapshot = load.snapshot;
    this.#merged = load.merged;
    this.#results = load.results;
    this.#refreshStreak = new ErrorStreak('refresh', logger);
    this.#leaseStreak = new ErrorStreak('lease renewal', logger);
    if (load.connection) this.#adoptConnection(load.connection);
    this.#scheduleRefresh(false);
  }

  /** Loads (rejecting on the same typed errors as `loadVaultSecrets`) and starts the lifecycles. */
  static async start(
    options: VaultConfigOptions,
    context: LoadVaultSecretsContext = {},
  ): Promise<VaultSecretsRuntime> {
    // The connection stays open (for refresh, renewals, health's token check and on-demand
    // refresh): idle keep-alive sockets do not keep the process alive, and close() ends them.
    const load = await performInitialLoad<Record<string, unknown>>(options, context, true);
    return new VaultSecretsRuntime(load, context.logger);
  }

  get snapshot(): Snapshot {
    return this.#snapshot;
  }

  /** The validated options the runtime was started with (health reads its settings here). */
  get options(): ResolvedVaultConfigOptions {
    return this.#load.resolved;
  }

  status(): VaultRuntimeStatus {
    const lastError = this.#refreshStreak.last ?? this.#token?.lastError ?? this.#leaseStreak.last;
    const ttl = this.#token?.ttlS;
    const interval = this.#load.resolved.refresh?.intervalMs;
    return {
      mode: this.#snapshot.summary.mode,
      ...(ttl !== undefined ? { tokenTtlS: ttl } : {}),
      lastRefreshAgeMs: Date.now() - this.#lastSuccessAt,
      ...(lastError ? { lastError } : {}),
      ...(interval !== undefined ? { refreshIntervalMs: interval } : {}),
    };
  }

  /** True while a refresh is failing (the last known good snapshot is being served). */
  get refreshFailing(): boolean {
    return this.#refreshStreak.failures > 0;
  }

  onChange(listener: SecretsChangedListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** @internal Called with every new snapshot, before listeners (ConfigService stays in step). */
  onSnapshot(sink: SnapshotSink): void {
    this.#sinks.add(sink);
  }

  /** Gives another client (the health probe's) our current token, without exposing it. */
  shareTokenWith(client: VaultClient): boolean {
    const own = this.#connection?.client;
    if (!own?.hasToken()) return false;
    own.copyTokenTo(client);
    return true;
  }

  /** Re-reads the sources now; concurrent callers share one refresh. Rejects when it fails. */
  refresh(): Promise<SecretsRefreshResult> {
    if (this.#closed) return Promise.reject(new Error('VaultConfigModule is shut down'));
    this.#refreshing ??= this.#exclusive(() => this.#refreshOnce())
      .then(
        result => {
          this.#refreshStreak.succeed();
          return result;
        },
        (error: unknown) => {
          if (!this.#closed) {
            this.#refreshStreak.fail(error, 'keeping the last known good secrets and backing off');
          }
          throw error;
        },
      )
      .finally(() => {
        this.#refreshing = undefined;
      });
    return this.#refreshing;
  }

  /** Nest calls it on `app.close()` (and on signals with `enableShutdownHooks()`). */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /** Stops every timer; with `revokeOnShutdown`, revokes leases and our own login token. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#refreshTimer.close();
    this.#token?.stop();
    for (const lease of this.#leases.values()) lease.stop();
    await this.#queue.catch(() => undefined);
    const connection = this.#connection;
    if (!connection) return;
    try {
      if (this.#load.resolved.revokeOnShutdown) await this.#revokeAll();
    } finally {
      await connection.close();
    }
  }

  async #revokeAll(): Promise<void> {
    const results = await Promise.allSettled([...this.#leases.values()].map(l => l.revoke()));
    const failed = results.filter(r => r.status === 'rejected').length;
    try {
      await this.#token?.revoke();
    } catch {
      this.#logger?.warn('Vault token could not be revoked on shutdown; it expires with its TTL');
    }
    if (failed) {
      this.#logger?.warn(
        `${failed} Vault lease(s) could not be revoked; they expire with their TTL`,
      );
    }
  }

  #adoptConnection(connection: VaultConnection): void {
    this.#connection = connection;
    if (this.#load.resolved.renewToken) {
      this.#token = new TokenLifecycle(connection.client, connection.auth, this.#logger);
      this.#token.start(connection.login);
    }
    this.#results.forEach((result, index) => this.#keepLease(index, result));
  }

  #keepLease(index: number, result: SourceReadResult): void {
    this.#leases.get(index)?.stop();
    this.#leases.delete(index);
    if (!result.lease || !this.#connection || this.#closed) return;
    const connection = this.#connection;
    const lease = new LeaseLifecycle(
      connection.client,
      result.lease,
      () => this.#exclusive(() => this.#reissue(index)),
      this.#leaseStreak,
    );
    this.#leases.set(index, lease);
  }

  async #reissue(index: number): Promise<void> {
    const connection = this.#connection;
    const source = this.#load.resolved.sources[index];
    if (!connection || !source || this.#closed) return;
    const fresh = await connection.reader.read(source);
    const results = [...this.#results];
    results[index] = fresh;
    await this.#install(results, 'lease');
    this.#keepLease(index, fresh);
  }

  async #refreshOnce(): Promise<SecretsRefreshResult> {
    const started = performance.now();
    if (!this.#load.resolved.enabled) return { changed: false, changes: [], durationMs: 0 };
    if (!this.#connection) {
      this.#adoptConnection(await openVaultConnection(this.#load.resolved));
    }
    let results: SourceReadResult[];
    try {
      results = await this.#readForRefresh();
    } catch (error) {
      if (!(error instanceof VaultPermissionError) || !(await this.#tokenWasRevoked())) throw error;
      await this.#token?.reauthenticate();
      results = await this.#readForRefresh();
    }
    const changes = await this.#install(results, 'refresh');
    return {
      changed: changes.length > 0,
      changes,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
  }

  /** A 403 after a revoke: the token is gone, and a new login may fix it. */
  async #tokenWasRevoked(): Promise<boolean> {
    if (!this.#token?.canReauthenticate) return false;
    return !(await this.#token.isTokenValid());
  }

  #readForRefresh(): Promise<SourceReadResult[]> {
    const connection = this.#connection as VaultConnection;
    const { sources, refresh } = this.#load.resolved;
    // No per-path debug lines here: they would repeat every interval.
    return connection.reader.readAll(sources, undefined, async (source, index) => {
      const previous = this.#results[index];
      if (previous?.lease && this.#leases.has(index)) return previous; // kept by its lease
      const checkable =
        refresh?.useMetadata &&
        previous?.kvVersion === 2 &&
        previous.version !== undefined &&
        !this.#metadataDenied.has(index);
      if (checkable) {
        const same = await unchangedByMetadata(connection.client, previous);
        if (same === true) return previous;
        if (same === 'denied') this.#metadataDenied.add(index);
      }
      const fresh = await connection.reader.read(source);
      if (fresh.lease) this.#keepLease(index, fresh);
      return fresh;
    });
  }

  /** Builds the snapshot from `results`; swaps it in and tells everyone when anything changed. */
  async #install(
    results: SourceReadResult[],
    reason: SecretsChangedEvent['reason'],
  ): Promise<SecretsChangedEvent['changes']> {
    const { resolved, env, check } = this.#load;
    const assembled = await assembleSnapshot<Record<string, unknown>>({
      resolved,
      results,
      mode: 'vault',
      env,
      check,
      startedAt: performance.now(),
    });
    const changes = diffSecrets(this.#merged, assembled.merged);
    const modeChanged = this.#snapshot.summary.mode !== 'vault';
    this.#results = results;
    this.#lastSuccessAt = Date.now();
    if (!changes.length && !modeChanged && !descriptionsDiffer(this.#merged, assembled.merged)) {
      return changes;
    }
    this.#snapshot = assembled.snapshot;
    this.#merged = assembled.merged;
    for (const sink of this.#sinks) sink(this.#snapshot);
    if (changes.length) {
      this.#logger?.log(
        `Vault secrets changed (${reason}): ${changes.length} key(s): ` +
          changes.map(c => `${c.key} ${c.change}`).join(', '),
      );
      this.#emit({ reason, changes, at: new Date() });
    }
    return changes;
  }

  #emit(event: SecretsChangedEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger?.error(`A secrets-changed listener threw (${errorName(error)})`);
      }
    }
  }

  #scheduleRefresh(failed: boolean): void {
    const refresh = this.#load.resolved.refresh;
    if (!refresh || this.#closed || !this.#load.resolved.enabled) return;
    const failures = this.#refreshStreak.failures;
    const base = failed
      ? Math.min(refresh.maxBackoffMs, refresh.intervalMs * 2 ** Math.min(failures, 20))
      : refresh.intervalMs;
    const delay = base * (1 - refresh.jitter * Math.random());
    this.#refreshTimer.set(delay, () => {
      this.refresh().then(
        () => this.#scheduleRefresh(false),
        () => this.#scheduleRefresh(true),
      );
    });
  }

  /** Runs refreshes and re-issues one at a time, so results are never installed out of order. */
  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
