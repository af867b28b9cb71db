/**
 * One pending timer at most, never keeping the process alive (`unref`), cleared by `clear()`.
 * After `close()` nothing can be scheduled again, so a late callback cannot revive a stopped
 * lifecycle.
 */
export class TimerSlot {
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  set(ms: number, task: () => void): void {
    this.clear();
    if (this.#closed) return;
    this.#timer = setTimeout(task, Math.max(0, Math.round(ms)));
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
