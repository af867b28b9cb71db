/** Helpers of the Nest-facing e2e suites: a logger that captures every line, every rendering of an error. */
import { inspect } from 'node:util';
import type { LoggerService } from '@nestjs/common';

/** A Nest logger that keeps every line it is given, objects rendered as `util.inspect` would. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  /** When each line was logged (Date.now()), index for index with `lines`. */
  readonly times: number[] = [];

  log(message: unknown, ...rest: unknown[]): void {
    this.keep('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.keep('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.keep('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.keep('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.keep('verbose', message, rest);
  }

  private keep(level: string, message: unknown, rest: unknown[]): void {
    const render = (v: unknown) => (typeof v === 'string' ? v : inspect(v, { depth: 10 }));
    this.lines.push(`${level} ${[message, ...rest].map(render).join(' ')}`);
    this.times.push(Date.now());
  }
}

/** Every way an error can be printed or shipped. */
export function renderError(err: unknown): string[] {
  const e = err as Error;
  return [String(e?.message), String(e?.stack), inspect(err, { depth: 10 }), JSON.stringify(err)];
}
