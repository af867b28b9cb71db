export type VaultHttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'LIST';

export interface VaultRequest {
  method: VaultHttpMethod;
  /** API path without the `/v1/` prefix, e.g. `secret/data/app`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  token?: string;
  namespace?: string;
  headers?: Record<string, string>;
  /**
   * Whether sending it twice is harmless; set by the client (POST and PATCH are not, unless the call
   * knows better). A transport that sends a failed request again, e.g. to another node of a
   * cluster, must not repeat one that is not and may have reached Vault.
   */
  idempotent?: boolean;
}

export interface VaultResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /** Parsed JSON, or undefined for an empty body (or a non-JSON error body). */
  body: unknown;
}

/**
 * Sends one request and answers with the status, whatever it is. Network failures and timeouts
 * reject with VaultUnavailableError; a malformed, truncated or oversized 2xx body rejects with
 * VaultResponseError. Retries are the client's job, not the transport's.
 */
export interface VaultTransport {
  request(req: VaultRequest): Promise<VaultResponse>;
  close?(): Promise<void> | void;
}
