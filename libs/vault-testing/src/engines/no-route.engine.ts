import { VaultHttpError } from '../http/vault-http.error.js';
import type { VaultResult } from '../http/vault-result.interface.js';
import type { SecretEngine } from './secret-engine.interface.js';

/** Mounts this server lists but does not implement (`identity/`): every path is unsupported. */
export class NoRouteEngine implements SecretEngine {
  handle(): VaultResult {
    throw VaultHttpError.unsupportedPath();
  }
}
