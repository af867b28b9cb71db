import { describeError, errorName } from '../errors/describe-error.js';
import type { LoggerLike } from '../interfaces/logger-like.interface.js';
import type { VaultErrorSummary } from '../interfaces/vault-runtime-status.interface.js';
import { escapeText } from '../utils/safe-text.js';

const MAX_REASON = 240;

/** The class name and a short reason; library errors carry safe messages, others only their name. */
export function summarizeError(
  error: unknown,
  during: string,
  since: Date,
  attempts: number,
): VaultErrorSummary {
  return {
    error: errorName(error),
    // Escaped: a reason may quote Vault (a path, an error string) into logs and /health.
    reason: escapeText(describeError(error, MAX_REASON)),
    during,
    since: since.toISOString(),
    attempts,
  };
}

/**
 * Counts failures in a row of one activity and logs once per streak: a warning at the first
 * failure, a log line when it recovers — not one line per attempt.
 */
export class ErrorStreak {
  #failures = 0;
  #since: Date | undefined;
  #last: VaultErrorSummary | undefined;

  constructor(
    private readonly during: string,
    private readonly logger: LoggerLike | undefined,
  ) {}

  get failures(): number {
    return this.#failures;
  }

  get last(): VaultErrorSummary | undefined {
    return this.#last;
  }

  fail(error: unknown, consequence: string): VaultErrorSummary {
    this.#failures++;
    this.#since ??= new Date();
    this.#last = summarizeError(error, this.during, this.#since, this.#failures);
    if (this.#failures === 1) {
      this.logger?.warn(
        `Vault ${this.during} failed (${this.#last.error}: ${this.#last.reason}); ${consequence}`,
      );
    }
    return this.#last;
  }

  succeed(): void {
    if (this.#failures > 0) {
      this.logger?.log(`Vault ${this.during} recovered after ${this.#failures} failed attempt(s)`);
    }
    this.#failures = 0;
    this.#since = undefined;
    this.#last = undefined;
  }
}
