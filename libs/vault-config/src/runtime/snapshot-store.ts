import { errorName } from '../errors/describe-error.js';
import type { LoggerLike } from '../interfaces/logger-like.interface.js';
import type {
  SecretChange,
  SecretsChangedEvent,
  SecretsChangedListener,
} from '../interfaces/secrets-changed-event.interface.js';
import type { AssembledSecrets } from '../snapshot/assemble-snapshot.js';
import { descriptionsDiffer, diffSecrets } from '../snapshot/diff-secrets.js';
import type { SecretSnapshot, SnapshotEntry } from '../snapshot/secret-snapshot.js';
import { escapeText } from '../utils/safe-text.js';

export type Snapshot = SecretSnapshot<Record<string, unknown>>;
export type SnapshotSink = (snapshot: Snapshot) => void;

/**
 * The current snapshot and the merged map it was built from. A new one replaces both whole, and
 * only when something changed: a key's value or source, a KV version, or the load mode.
 */
export class SnapshotStore {
  readonly #logger: LoggerLike | undefined;
  readonly #listeners = new Set<SecretsChangedListener>();
  readonly #sinks = new Set<SnapshotSink>();
  #snapshot: Snapshot;
  #merged: ReadonlyMap<string, SnapshotEntry>;

  constructor(initial: AssembledSecrets<Record<string, unknown>>, logger?: LoggerLike) {
    this.#snapshot = initial.snapshot;
    this.#merged = initial.merged;
    this.#logger = logger;
  }

  get snapshot(): Snapshot {
    return this.#snapshot;
  }

  onChange(listener: SecretsChangedListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Sinks see every new snapshot before listeners, so listeners read the new values everywhere. */
  onSnapshot(sink: SnapshotSink): void {
    this.#sinks.add(sink);
  }

  /** Swaps `next` in when it differs; returns the changed keys (no values). */
  install(
    next: AssembledSecrets<Record<string, unknown>>,
    reason: SecretsChangedEvent['reason'],
  ): SecretChange[] {
    const changes = diffSecrets(this.#merged, next.merged);
    const modeChanged = this.#snapshot.summary.mode !== next.snapshot.summary.mode;
    if (!changes.length && !modeChanged && !descriptionsDiffer(this.#merged, next.merged)) {
      return changes;
    }
    this.#snapshot = next.snapshot;
    this.#merged = next.merged;
    for (const sink of this.#sinks) sink(this.#snapshot);
    if (changes.length) {
      this.#logger?.log(
        `Vault secrets changed (${reason}): ${changes.length} key(s): ` +
          // Key names come from Vault: escaped, so a newline or ESC in one cannot forge a log line.
          changes.map(c => `${escapeText(c.key)} ${c.change}`).join(', '),
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
        // The class name only: a listener's message may quote a secret it was handling.
        this.#logger?.error(`A secrets-changed listener threw (${errorName(error)})`);
      }
    }
  }
}
