/** setTimeout's longest delay; a longer one fires at once (Node warns TimeoutOverflowWarning). */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * One pending timer at most, never keeping the process alive (`unref`), cleared by `clear()`.
 * After `close()` nothing can be scheduled again, so a late callback cannot revive a stopped
 * lifecycle. Delays come from Vault (a year-long token TTL is legal), so delays beyond
 * setTimeout's ≈ 24.8-day limit are waited out in hops instead of firing at once.
 */
export class TimerSlot {
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  set(ms: number, task: () => void): void {
    this.clear();
    if (this.#closed) return;
    const delay = Number.isFinite(ms) ? Math.max(0, Math.round(ms)) : MAX_TIMEOUT_MS;
    this.#arm(Date.now() + delay, delay, task);
  }

  #arm(dueAt: number, wait: number, task: () => void): void {
    const hop = Math.min(wait, MAX_TIMEOUT_MS);
    this.#timer = setTimeout(() => {
      const left = dueAt - Date.now();
      if (hop < wait && left > 0) this.#arm(dueAt, left, task);
      else task();
    }, hop);
    this.#timer.unref();
  }

  clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  close(): void {
    this.#closed = true;
    this.clear();
  }

  get closed(): boolean {
    return this.#closed;
  }
}
