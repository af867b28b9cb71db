/** Renewals (or re-issues, or logins) one token or source may start per window. */
export const RENEWALS_PER_WINDOW = 20;
export const RENEWAL_WINDOW_MS = 60_000;

/**
 * At most `limit` renewals of one thing per sliding `windowMs`, whatever Vault answers: a lease
 * that comes back renewed for a moment each time waits for the window instead of being renewed in a
 * loop. The clock is injectable (specs); the times of the last `limit` renewals are all it keeps.
 */
export class RenewalBudget {
  readonly #starts: number[] = [];

  constructor(
    private readonly limit = RENEWALS_PER_WINDOW,
    private readonly windowMs = RENEWAL_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** `delayMs`, or longer when the budget is spent: until the oldest renewal leaves the window. */
  delay(delayMs: number): number {
    if (this.#starts.length < this.limit) return delayMs;
    const freeAt = this.#starts[0] + this.windowMs;
    return Math.max(delayMs, freeAt - this.now());
  }

  /** A renewal starts now. */
  spend(): void {
    this.#starts.push(this.now());
    if (this.#starts.length > this.limit) this.#starts.shift();
  }
}
