import type { LoggerLike } from './logger-like.interface.js';

export interface LoadVaultSecretsContext {
  logger?: LoggerLike;
  /** Environment to read VAULT_* and fallback values from; default process.env at call time. */
  env?: NodeJS.ProcessEnv;
}
