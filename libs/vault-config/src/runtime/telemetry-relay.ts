import type {
  VaultTelemetry,
  VaultTelemetrySink,
} from '../interfaces/vault-telemetry.interface.js';

/** Events held until a recorder connects (the first load, a login, the first renewals). */
const MAX_PENDING = 64;

type Delivery = (sink: VaultTelemetry) => void;

/**
 * What the runtime and its lifecycles report to: forwards to the recorder once it connects, and
 * holds what happened before (bounded) so the first load is recorded too. A recorder's failure
 * never reaches the runtime. `close()` lets the recorder go (its gauges stop) and drops the rest.
 */
export class TelemetryRelay implements VaultTelemetry {
  #sink: VaultTelemetrySink | undefined;
  #pending: Delivery[] = [];
  #closed: boolean;

  /** `enabled` false (`metrics: false`): nothing is ever held or forwarded. */
  constructor(enabled: boolean) {
    this.#closed = !enabled;
  }

  get closed(): boolean {
    return this.#closed;
  }

  loaded: VaultTelemetry['loaded'] = event => this.#deliver(sink => sink.loaded(event));
  refreshed: VaultTelemetry['refreshed'] = event => this.#deliver(sink => sink.refreshed(event));
  loggedIn: VaultTelemetry['loggedIn'] = event => this.#deliver(sink => sink.loggedIn(event));
  renewed: VaultTelemetry['renewed'] = event => this.#deliver(sink => sink.renewed(event));

  /** Connects the recorder and hands it what was held; after `close()` the recorder is closed. */
  connect(sink: VaultTelemetrySink): void {
    if (this.#closed || this.#sink) return safely(() => sink.close());
    this.#sink = sink;
    const pending = this.#pending;
    this.#pending = [];
    for (const delivery of pending) safely(() => delivery(sink));
  }

  close(): void {
    this.#closed = true;
    this.#pending = [];
    const sink = this.#sink;
    this.#sink = undefined;
    if (sink) safely(() => sink.close());
  }

  #deliver(delivery: Delivery): void {
    if (this.#sink) return safely(() => delivery(this.#sink as VaultTelemetry));
    if (!this.#closed && this.#pending.length < MAX_PENDING) this.#pending.push(delivery);
  }
}

function safely(task: () => void): void {
  try {
    task();
  } catch {
    // Metrics are an observer: a failing recorder must not fail a refresh or a renewal.
  }
}
