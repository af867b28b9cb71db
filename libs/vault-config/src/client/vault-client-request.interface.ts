import type { VaultRequest, VaultResponse } from '../interfaces/vault-transport.interface.js';

export interface VaultClientRequest extends Omit<VaultRequest, 'token' | 'namespace'> {
  /** Default: true for GET/LIST/DELETE/PUT. Non-idempotent requests retry only when Vault surely did not act. */
  idempotent?: boolean;
  /** Send the token (default true). */
  authenticated?: boolean;
  /** Send this token instead of the client's (a response-wrapping token to unwrap). */
  tokenOverride?: string;
}

/** What helpers beside the client need of it: one request with retries and typed failures. */
export interface VaultRequester {
  request(req: VaultClientRequest): Promise<VaultResponse>;
}
