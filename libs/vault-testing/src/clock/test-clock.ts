/**
 * The server's only source of time for expiry (tokens, leases, secret IDs, delete_version_after).
 * It never moves by itself beyond real time: `advance(ms)` jumps forward so tests need not sleep.
 */
export class TestClock {
  private offsetMs = 0;
  private readonly frozenAt: number | undefined;
  private readonly realStart = Date.now();
  private readonly startAt: number;

  /** `start` is the clock's initial time (ms since epoch); `frozen` stops it from following real time. */
  constructor(options: { start?: number | Date; frozen?: boolean } = {}) {
    const start = options.start instanceof Date ? options.start.getTime() : options.start;
    this.startAt = start ?? this.realStart;
    this.frozenAt = options.frozen ? this.startAt : undefined;
  }

  /** Milliseconds since the epoch, as `Date.now()` would answer on this clock. */
  now(): number {
    const base =
      this.frozenAt !== undefined ? this.frozenAt : this.startAt + (Date.now() - this.realStart);
    return base + this.offsetMs;
  }

  date(): Date {
    return new Date(this.now());
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance() needs a finite ms >= 0');
    this.offsetMs += ms;
  }
}
