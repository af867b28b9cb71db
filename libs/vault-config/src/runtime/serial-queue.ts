/** Runs tasks one at a time, in call order; a failed task does not hold up the next. */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task, task);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Settles (never rejects) once every task queued so far has settled. */
  idle(): Promise<unknown> {
    return this.#tail;
  }
}
