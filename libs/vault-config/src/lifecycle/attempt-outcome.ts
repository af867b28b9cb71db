import { errorName } from '../errors/describe-error.js';
import type { VaultOutcome } from '../interfaces/vault-telemetry.interface.js';

export interface AttemptOutcome {
  outcome: VaultOutcome;
  errorClass?: string;
}

/** A failed attempt as telemetry records it: the error's class name, never its message. */
export function failedAttempt(error: unknown): AttemptOutcome {
  return { outcome: 'failure', errorClass: errorName(error) };
}

/** How an attempt that reports `error` only when it failed ended. */
export function attemptOutcome(error?: unknown): AttemptOutcome {
  return error === undefined ? { outcome: 'success' } : failedAttempt(error);
}
