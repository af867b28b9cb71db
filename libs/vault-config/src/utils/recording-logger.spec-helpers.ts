// The specs' logger: keeps every line with its level and time, so a test can assert on what was
// logged, when, and that no secret was.
import type { LoggerLike } from '../interfaces/logger-like.interface.js';

export class RecordingLogger implements LoggerLike {
  readonly calls: Array<{ level: string; message: string }> = [];
  /** When each of `calls` was logged (apart, so specs can compare `calls` with toEqual). */
  readonly #at: number[] = [];
  readonly log = (message: string) => this.#keep('log', message);
  readonly warn = (message: string) => this.#keep('warn', message);
  readonly error = (message: string) => this.#keep('error', message);
  readonly debug = (message: string) => this.#keep('debug', message);
  #keep(level: string, message: string): void {
    this.calls.push({ level, message });
    this.#at.push(Date.now());
  }
  lines(level: string): string[] {
    return this.calls.filter(c => c.level === level).map(c => c.message);
  }
  /** When lines matching `pattern` were logged. */
  times(pattern: RegExp): number[] {
    return this.calls.flatMap((c, i) => (pattern.test(c.message) ? [this.#at[i]] : []));
  }
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<number | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !this.times(pattern).length)
      await new Promise(r => setTimeout(r, 20));
    return this.times(pattern)[0];
  }
}
