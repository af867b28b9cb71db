import { VaultConfigError } from './vault-config.error.js';

/** The class name of anything thrown. A foreign error's message may hold a token or a body: never shown. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * A description safe for logs, health and CLI output: the library's errors are built from safe facts
 * only, so their message is shown (cut at `max` characters); anything else shows its class name.
 */
export function describeError(error: unknown, max = Infinity): string {
  if (error instanceof VaultConfigError) return error.message.slice(0, max);
  return `${errorName(error)} (details hidden)`;
}
