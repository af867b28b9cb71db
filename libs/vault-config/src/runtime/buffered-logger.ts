import type { LoggerLike } from '../interfaces/logger-like.interface.js';

type Level = 'log' | 'warn' | 'error' | 'debug';

/**
 * Keeps the lines of a read that started before Nest was configured (the prefetch of
 * `VaultConfigModule.forRoot`), so they reach the app's logger when the module claims the read — and
 * nowhere when no app does.
 */
export class BufferedLogger implements LoggerLike {
  readonly #lines: Array<[Level, string]> = [];

  log(message: string): void {
    this.#lines.push(['log', message]);
  }

  warn(message: string): void {
    this.#lines.push(['warn', message]);
  }

  error(message: string): void {
    this.#lines.push(['error', message]);
  }

  debug(message: string): void {
    this.#lines.push(['debug', message]);
  }

  replayTo(logger: LoggerLike | undefined): void {
    for (const [level, message] of this.#lines.splice(0)) {
      if (level === 'debug') logger?.debug?.(message);
      else logger?.[level](message);
    }
  }
}
