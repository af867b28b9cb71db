import { VaultConfigError } from './vault-config.error.js';

/** An identifier-like class name; anything else in `name` could be data. */
const SAFE_NAME = /^[A-Za-z_$][\w$]{0,63}$/;

/**
 * The class name of anything thrown (also for errors from another realm, such as a VM context). A
 * foreign error's message may hold a token or a body: it is never shown.
 */
export function errorName(error: unknown): string {
  const name =
    typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  if (typeof name === 'string' && SAFE_NAME.test(name)) return name;
  return error instanceof Error ? 'Error' : typeof error;
}

/**
 * A description safe for logs, health and CLI output: the library's errors are built from safe facts
 * only, so their message is shown (cut at `max` characters); anything else shows its class name.
 */
export function describeError(error: unknown, max = Infinity): string {
  if (error instanceof VaultConfigError) return error.message.slice(0, max);
  return `${errorName(error)} (details hidden)`;
}
