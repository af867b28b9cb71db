import type { VaultClient } from '../client/vault.client.js';
import type { TimedSource } from '../lifecycle/timed-source.interface.js';

/** Builds the schedule of source `index` from what its read gave (and the schedule it replaces). */
export type TimedSourceFactory<T, S extends TimedSource> = (
  index: number,
  item: T,
  client: VaultClient,
  previous: S | undefined,
) => S;

/** One `TimedSource` per source, by the source's index in the options. */
export class TimedSourceRegistry<T, S extends TimedSource = TimedSource> {
  readonly #sources = new Map<number, S>();
  readonly #create: TimedSourceFactory<T, S>;
  #stopped = false;

  constructor(create: TimedSourceFactory<T, S>) {
    this.#create = create;
  }

  /** Replaces the source's schedule: the old one stops, `item` (if any) gets a new one. */
  keep(index: number, item: T | undefined, client: VaultClient | undefined): void {
    const previous = this.#sources.get(index);
    previous?.stop();
    this.#sources.delete(index);
    if (item === undefined || !client || this.#stopped) return;
    this.#sources.set(index, this.#create(index, item, client, previous));
  }

  /** The expiry of each source's current lease or certificate, by source index. */
  expiries(): Array<[index: number, expiresAt: number]> {
    const found: Array<[number, number]> = [];
    for (const [index, source] of this.#sources) {
      if (source.expiresAt !== undefined) found.push([index, source.expiresAt]);
    }
    return found;
  }

  has(index: number): boolean {
    return this.#sources.has(index);
  }

  /** Stops every schedule; they stay registered so `revokeAll()` can still end them. */
  stopAll(): void {
    this.#stopped = true;
    for (const source of this.#sources.values()) source.stop();
  }

  /** Revokes everything revocable at once; resolves to how many could not be revoked. */
  async revokeAll(): Promise<number> {
    const ends = [...this.#sources.values()].flatMap(s => (s.revoke ? [s.revoke()] : []));
    const results = await Promise.allSettled(ends);
    return results.filter(r => r.status === 'rejected').length;
  }
}
