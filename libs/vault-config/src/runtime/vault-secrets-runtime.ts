import type { VaultClient } from '../client/vault.client.js';
import type { VaultClientRequest } from '../client/vault-client-request.interface.js';
import { failedAttempt } from '../lifecycle/attempt-outcome.js';
import { VaultNotConnectedError } from '../errors/vault-not-connected.error.js';
import type { LoadVaultSecretsContext } from '../interfaces/load-context.interface.js';
import type { LoggerLike } from '../interfaces/logger-like.interface.js';
import type {
  SecretChange,
  SecretsChangedEvent,
  SecretsChangedListener,
  SecretsRefreshResult,
} from '../interfaces/secrets-changed-event.interface.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import type { VaultRuntimeStatus } from '../interfaces/vault-runtime-status.interface.js';
import type {
  VaultRefreshTrigger,
  VaultTelemetryReading,
} from '../interfaces/vault-telemetry.interface.js';
import type { VaultResponse } from '../interfaces/vault-transport.interface.js';
import { ErrorStreak } from '../lifecycle/error-streak.js';
import type { SourceReadResult } from '../loading/source-read-result.interface.js';
import { openVaultConnection, type VaultConnection } from '../loading/vault-connection.js';
import type { ResolvedVaultConfigOptions } from '../options/resolved-vault-config-options.interface.js';
import { assembleSnapshot } from '../snapshot/assemble-snapshot.js';
import { performInitialLoad, type InitialLoad } from './initial-load.js';
import { RefreshReader } from './refresh-reader.js';
import { RefreshScheduler } from './refresh-scheduler.js';
import { revokeOnShutdown } from './revoke-on-shutdown.js';
import type { SecretsSource } from './secrets-source.interface.js';
import { SerialQueue } from './serial-queue.js';
import { SnapshotStore, type Snapshot, type SnapshotSink } from './snapshot-store.js';
import { TelemetryRelay } from './telemetry-relay.js';
import { TimedSources, type TimedReason } from './timed-sources.js';
import { VaultLink } from './vault-link.js';

/**
 * The live side of `VaultConfigModule`: the current snapshot (swapped whole, never edited), the Vault
 * connection kept open after the first load, token renewal, the schedules of timed sources (lease
 * renewal, certificate re-issue, static-role re-reads), scheduled refresh, change events and shutdown. Values never leave it except through the snapshot.
 * Not exported: apps use `SecretsService`, `ConfigService` and `VaultHealthIndicator`.
 */
export class VaultSecretsRuntime implements SecretsSource {
  readonly #load: InitialLoad<Record<string, unknown>>;
  readonly #logger: LoggerLike | undefined;
  readonly #store: SnapshotStore;
  readonly #refreshStreak: ErrorStreak;
  readonly #timed: TimedSources;
  readonly #reader: RefreshReader;
  readonly #scheduler: RefreshScheduler;
  /** @internal Where the runtime reports what it does; the metrics layer connects to it. */
  readonly telemetry: TelemetryRelay;
  /** Refreshes and re-reads run one at a time, so results are never installed out of order. */
  readonly #queue = new SerialQueue();
  #link: VaultLink | undefined;
  #results: SourceReadResult[];
  #lastSuccessAt = Date.now();
  #refreshing: Promise<SecretsRefreshResult> | undefined;
  #refreshStartedAt: number | undefined;
  #closed = false;

  private constructor(load: InitialLoad<Record<string, unknown>>, logger?: LoggerLike) {
    this.#load = load;
    this.#logger = logger;
    this.#store = new SnapshotStore(load, logger);
    this.#results = load.results;
    this.#refreshStreak = new ErrorStreak('refresh', logger);
    this.telemetry = new TelemetryRelay(load.resolved.metrics !== false);
    const { durationMs, mode } = load.snapshot.summary;
    this.telemetry.loaded({ durationMs, mode, outcome: 'success' });
    this.#timed = new TimedSources(
      (index, reason) => this.#queue.run(() => this.#reread(index, reason)),
      logger,
      undefined,
      this.telemetry,
      this,
    );
    this.#reader = new RefreshReader(load.resolved, this.#timed);
    const { refresh, enabled } = load.resolved;
    this.#scheduler = new RefreshScheduler({
      settings: enabled ? refresh : undefined,
      run: () => this.refresh('schedule'),
      failures: () => this.#refreshStreak.failures,
      isReachable: () => this.#vaultAnswers(),
    });
    if (load.connection) this.#adoptConnection(load.connection);
    this.#scheduler.start();
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

  /** Starts the lifecycles on a load already done (the prefetch of `VaultConfigModule.forRoot`). */
  static adopt(
    load: InitialLoad<Record<string, unknown>>,
    logger?: LoggerLike,
  ): VaultSecretsRuntime {
    return new VaultSecretsRuntime(load, logger);
  }

  get snapshot(): Snapshot {
    return this.#store.snapshot;
  }

  /** The validated options the runtime was started with (health reads its settings here). */
  get options(): ResolvedVaultConfigOptions {
    return this.#load.resolved;
  }

  status(): VaultRuntimeStatus {
    const token = this.#link?.token;
    const credentialsError = token?.lastError ?? this.#timed.lastError;
    const lastError = this.#refreshStreak.last ?? credentialsError;
    const ttl = token?.ttlS;
    const interval = this.#load.resolved.refresh?.intervalMs;
    return {
      mode: this.#store.snapshot.summary.mode,
      ...(ttl !== undefined ? { tokenTtlS: ttl } : {}),
      lastRefreshAgeMs: Date.now() - this.#lastSuccessAt,
      ...(lastError ? { lastError } : {}),
      ...(credentialsError ? { credentialsError } : {}),
      ...(token?.runningOut ? { tokenExpiring: true } : {}),
      ...(interval !== undefined ? { refreshIntervalMs: interval } : {}),
    };
  }

  /** @internal What the gauges show: token TTL, age of the last good refresh, expiries. */
  telemetryReading(): VaultTelemetryReading {
    const { tokenTtlS, lastRefreshAgeMs } = this.status();
    return { tokenTtlS, lastRefreshAgeMs, expiries: this.#timed.expiries() };
  }

  /**
   * True while refreshes are failing (the last known good snapshot is being served), or while one
   * has been waiting longer than a request may take (a dead socket is an outage too).
   */
  get refreshFailing(): boolean {
    const hung =
      this.#refreshStartedAt !== undefined &&
      Date.now() - this.#refreshStartedAt > this.#load.resolved.timeoutMs;
    return this.#refreshStreak.failures > 0 || hung;
  }

  /** One unauthenticated `sys/health`: initialised and unsealed (a standby counts). */
  async #vaultAnswers(): Promise<boolean> {
    const client = this.#link?.client;
    if (!client) return true; // no connection yet: the refresh itself tries to open one
    const health = await client.health();
    return health.initialized && !health.sealed;
  }

  onChange(listener: SecretsChangedListener): () => void {
    return this.#store.onChange(listener);
  }

  /** @internal Called with every new snapshot, before listeners (ConfigService stays in step). */
  onSnapshot(sink: SnapshotSink): void {
    this.#store.onSnapshot(sink);
  }

  /** Gives another client (the health probe's) our current token, without exposing it. */
  shareTokenWith(client: VaultClient): boolean {
    return this.#link?.shareTokenWith(client) ?? false;
  }

  /**
   * Sends one request on the module's connection with its current token, which never leaves the
   * client; for engine services (`TransitService`). Answers any status (the service reads it);
   * rejects with VaultNotConnectedError when Vault is disabled, was unreachable at boot (fallback
   * mode, until a refresh reaches it) or the module is shut down.
   */
  async request(request: VaultClientRequest): Promise<VaultResponse> {
    if (this.#closed) throw new VaultNotConnectedError('closed', request.path);
    const link = this.#link;
    if (!link) {
      const reason = this.#load.resolved.enabled ? 'fallback' : 'disabled';
      throw new VaultNotConnectedError(reason, request.path);
    }
    return link.send(request);
  }

  /** Re-reads the sources now; concurrent callers share one refresh. Rejects when it fails. */
  refresh(trigger: VaultRefreshTrigger = 'demand'): Promise<SecretsRefreshResult> {
    if (this.#closed) return Promise.reject(new Error('VaultConfigModule is shut down'));
    this.#refreshStartedAt ??= Date.now();
    const started = performance.now();
    const took = () => performance.now() - started;
    this.#refreshing ??= this.#queue
      .run(() => this.#refreshOnce())
      .then(
        result => {
          this.#refreshStreak.succeed();
          const { changed } = result;
          this.telemetry.refreshed({ durationMs: took(), trigger, outcome: 'success', changed });
          return result;
        },
        (error: unknown) => {
          if (!this.#closed) {
            this.#refreshStreak.fail(error, 'keeping the last known good secrets and backing off');
            this.telemetry.refreshed({ durationMs: took(), trigger, ...failedAttempt(error) });
          }
          throw error;
        },
      )
      .finally(() => {
        this.#refreshing = undefined;
        this.#refreshStartedAt = undefined;
      });
    return this.#refreshing;
  }

  /** Nest calls it on `app.close()` (and on signals with `enableShutdownHooks()`). */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /** Stops every timer; with `revokeOnShutdown`, revokes leases, certificates and our own login token. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.telemetry.close();
    this.#scheduler.stop();
    this.#link?.token?.stop();
    this.#timed.stopAll();
    await this.#queue.idle();
    const link = this.#link;
    if (!link) return;
    try {
      if (this.#load.resolved.revokeOnShutdown) {
        await revokeOnShutdown(this.#timed, link, this.#logger);
      }
    } finally {
      await link.connection.close();
    }
  }

  #adoptConnection(connection: VaultConnection): void {
    const probe = this.#load.resolved.sources.find(
      (s, i) => s.type === 'kv' && this.#results[i]?.found,
    );
    const { renewToken, authMethod } = this.#load.resolved;
    const link = new VaultLink(connection, renewToken, this.#logger, probe, this.telemetry);
    this.#link = link;
    this.telemetry.loggedIn({ method: authMethod, outcome: 'success' });
    this.#results.forEach((result, index) => this.#timed.keep(index, result, link.client));
  }

  /** A timed source is due: read it again (a new lease, certificate or password) and install it. */
  async #reread(index: number, reason: TimedReason): Promise<void> {
    const link = this.#link;
    const source = this.#load.resolved.sources[index];
    if (!link || !source || this.#closed) return;
    const fresh = await link.connection.reader.read(source);
    const results = [...this.#results];
    results[index] = fresh;
    await this.#install(results, reason);
    this.#timed.keep(index, fresh, link.client);
  }

  async #refreshOnce(): Promise<SecretsRefreshResult> {
    const started = performance.now();
    if (!this.#load.resolved.enabled) return { changed: false, changes: [], durationMs: 0 };
    if (!this.#link) {
      this.#adoptConnection(await openVaultConnection(this.#load.resolved));
    }
    const results = await this.#reader.readAll(this.#link as VaultLink, this.#results);
    const changes = await this.#install(results, 'refresh');
    return {
      changed: changes.length > 0,
      changes,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
  }

  /** Builds the snapshot from `results`; the store swaps it in when anything changed. */
  async #install(
    results: SourceReadResult[],
    reason: SecretsChangedEvent['reason'],
  ): Promise<SecretChange[]> {
    const { resolved, env, check } = this.#load;
    const assembled = await assembleSnapshot<Record<string, unknown>>({
      resolved,
      results,
      mode: 'vault',
      env,
      check,
      startedAt: performance.now(),
    });
    this.#results = results;
    this.#lastSuccessAt = Date.now();
    return this.#store.install(assembled, reason);
  }
}
