import { vaultErrorStrings } from '../utils/safe-text.js';
import { isTlsErrorCode } from '../utils/tls-error-code.js';
import { VaultAuthError } from '../errors/vault-auth.error.js';
import { VaultConfigError } from '../errors/vault-config.error.js';
import { VaultResponseError } from '../errors/vault-response.error.js';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import type {
  VaultAuthBlock,
  VaultEnvelope,
  VaultHealthStatus,
} from '../interfaces/vault-envelope.interface.js';
import type {
  VaultRequest,
  VaultResponse,
  VaultTransport,
} from '../interfaces/vault-transport.interface.js';
import type { ResolvedRetryOptions } from '../options/resolved-vault-config-options.interface.js';
import {
  DEFAULT_RETRY_ATTEMPTS,
  DEFAULT_RETRY_MAX_DELAY_MS,
  DEFAULT_RETRY_MIN_DELAY_MS,
} from '../options/vault-config-options.defaults.js';
import { backoffDelay, retryAfterDelay } from './backoff.js';
import { NOT_SENT_CODES, retryableErrors, safeErrorCode } from './retryable.js';
import { expectAuth, expectEnvelope, expectHealth, statusError } from './vault-response.js';
import { INSPECT } from '../utils/inspect.js';

export interface VaultClientOptions {
  transport: VaultTransport;
  /** Shown in error messages; default the transport's `address` or 'Vault'. */
  address?: string;
  token?: string;
  namespace?: string;
  retry?: Partial<ResolvedRetryOptions>;
}

export interface VaultClientRequest extends Omit<VaultRequest, 'token' | 'namespace'> {
  /** Default: true for GET/LIST/DELETE/PUT. Non-idempotent requests retry only when Vault surely did not act. */
  idempotent?: boolean;
  /** Send the token (default true). */
  authenticated?: boolean;
}

// Global timer rather than node:timers/promises: retries are the rare path, boot should not load it.
const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * A small typed Vault client on a VaultTransport: retries (network errors, timeouts, 429 honouring
 * Retry-After, 5xx; never 400/403/404), typed errors, token and namespace. The token is private and
 * never printed.
 */
export class VaultClient {
  readonly address: string;
  readonly namespace?: string;
  readonly #transport: VaultTransport;
  readonly #retry: ResolvedRetryOptions;
  #token: string | undefined;

  constructor(options: VaultClientOptions) {
    this.#transport = options.transport;
    const transportAddress = (options.transport as { address?: unknown }).address;
    this.address =
      options.address ?? (typeof transportAddress === 'string' ? transportAddress : 'Vault');
    if (options.namespace !== undefined) this.namespace = options.namespace;
    this.#token = options.token;
    this.#retry = {
      attempts: options.retry?.attempts ?? DEFAULT_RETRY_ATTEMPTS,
      minDelayMs: options.retry?.minDelayMs ?? DEFAULT_RETRY_MIN_DELAY_MS,
      maxDelayMs: options.retry?.maxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS,
    };
  }

  setToken(token: string | undefined): void {
    this.#token = token;
  }

  hasToken(): boolean {
    return this.#token !== undefined;
  }

  /** Lets another client (e.g. a health probe on its own transport) use this client's token. */
  copyTokenTo(other: VaultClient): void {
    other.setToken(this.#token);
  }

  /** Sends a request with retries; answers any status except exhausted 429/5xx and network failures. */
  async request(req: VaultClientRequest): Promise<VaultResponse> {
    const idempotent = req.idempotent ?? (req.method !== 'POST' && req.method !== 'PATCH');
    const { idempotent: _i, authenticated, ...rest } = req;
    const sent: VaultRequest = {
      ...rest,
      ...(authenticated !== false && this.#token ? { token: this.#token } : {}),
      ...(this.namespace ? { namespace: this.namespace } : {}),
    };
    const attempts = this.#retry.attempts;
    for (let attempt = 1; ; attempt++) {
      let response: VaultResponse;
      try {
        response = await this.#transport.request(sent);
      } catch (error) {
        const failure = this.#sanitize(error, req.path, attempt);
        // A certificate Vault's TLS handshake rejected once is rejected again: no retry.
        const retryable =
          (failure instanceof VaultUnavailableError &&
            !isTlsErrorCode(failure.errorCode) &&
            (idempotent || NOT_SENT_CODES.has(failure.errorCode))) ||
          (idempotent && retryableErrors.has(error as Error));
        if (retryable && attempt < attempts) {
          await sleep(backoffDelay(attempt, this.#retry));
          continue;
        }
        throw failure;
      }
      const status = response.status;
      const retryableStatus =
        status === 429 ||
        (status >= 500 && (idempotent || status === 502 || status === 503 || status === 504));
      if (!retryableStatus) return response;
      if (attempt < attempts) {
        const hinted =
          status === 429
            ? retryAfterDelay(response.headers['retry-after'], this.#retry.maxDelayMs)
            : undefined;
        await sleep(hinted ?? backoffDelay(attempt, this.#retry));
        continue;
      }
      throw new VaultUnavailableError({
        address: this.address,
        errorCode: `HTTP_${status}`,
        path: req.path,
        status,
        attempts: attempt,
        vaultErrors: vaultErrorStrings(response.body),
      });
    }
  }

  /** GET; the envelope, or undefined on 404. */
  async read<T = Record<string, unknown>>(
    path: string,
    query?: Record<string, string>,
  ): Promise<VaultEnvelope<T> | undefined> {
    const res = await this.request({ method: 'GET', path, ...(query ? { query } : {}) });
    if (res.status === 404) return undefined;
    return expectEnvelope<T>(res, path, 'read');
  }

  /** LIST; the keys (folders end in `/`), [] when the folder is empty or missing. */
  async list(path: string): Promise<string[]> {
    const res = await this.request({ method: 'LIST', path });
    if (res.status === 404) return [];
    const envelope = expectEnvelope<{ keys?: unknown }>(res, path, 'list');
    const keys = envelope.data.keys;
    if (!Array.isArray(keys) || !keys.every(k => typeof k === 'string')) {
      throw new VaultResponseError({
        path,
        status: res.status,
        reason: 'data.keys is not a list of strings',
      });
    }
    return keys;
  }

  /** POST; the envelope, or undefined for 204. */
  async write<T = Record<string, unknown>>(
    path: string,
    body: unknown,
  ): Promise<VaultEnvelope<T> | undefined> {
    const res = await this.request({ method: 'POST', path, body });
    if (res.status === 204) return undefined;
    return expectEnvelope<T>(res, path, 'create/update');
  }

  async delete(path: string): Promise<void> {
    const res = await this.request({ method: 'DELETE', path });
    if (res.status !== 204 && res.status !== 200 && res.status !== 404) {
      throw statusError(res, path, 'delete');
    }
  }

  /** sys/health, one attempt, no token; standby/sealed/... statuses are answers, not errors. */
  async health(): Promise<VaultHealthStatus> {
    let res: VaultResponse;
    try {
      res = await this.#transport.request({
        method: 'GET',
        path: 'sys/health',
        ...(this.namespace ? { namespace: this.namespace } : {}),
      });
    } catch (error) {
      throw this.#sanitize(error, 'sys/health', 1);
    }
    return expectHealth(res);
  }

  /** auth/token/lookup-self `data` (contains the token id: do not log it). */
  async lookupSelf(): Promise<Record<string, unknown>> {
    const envelope = await this.read('auth/token/lookup-self');
    if (!envelope)
      throw new VaultResponseError({
        path: 'auth/token/lookup-self',
        status: 404,
        reason: 'not found',
      });
    return envelope.data;
  }

  async renewSelf(increment?: string | number): Promise<VaultAuthBlock> {
    const path = 'auth/token/renew-self';
    const res = await this.request({
      method: 'POST',
      path,
      body: increment === undefined ? {} : { increment },
      idempotent: true,
    });
    const envelope = expectEnvelope<unknown>(res, path, 'update', true);
    return expectAuth(envelope, path);
  }

  /** POST auth/<mount>/login and use the new token. */
  async login(
    mount: string,
    body: Record<string, unknown>,
    method: string = mount,
  ): Promise<VaultAuthBlock> {
    const path = `auth/${mount}/login`;
    const res = await this.request({ method: 'POST', path, body, authenticated: false });
    if (res.status < 200 || res.status >= 300) {
      throw new VaultAuthError({
        method,
        status: res.status,
        vaultErrors: vaultErrorStrings(res.body),
        reason:
          res.status === 403
            ? `Vault denied the login at ${path}; check the role and its bindings`
            : `Vault answered ${res.status} at ${path}; check the credentials and the auth mount`,
      });
    }
    const envelope = expectEnvelope<unknown>(res, path, 'update', true);
    const auth = expectAuth(envelope, path);
    this.#token = auth.client_token;
    return auth;
  }

  async close(): Promise<void> {
    await this.#transport.close?.();
  }

  [INSPECT](): string {
    return `VaultClient { address: '${this.address}' }`;
  }

  toJSON(): Record<string, unknown> {
    return { address: this.address, ...(this.namespace ? { namespace: this.namespace } : {}) };
  }

  #sanitize(error: unknown, path: string, attempts: number): VaultConfigError {
    if (error instanceof VaultUnavailableError) {
      return new VaultUnavailableError({
        address: this.address,
        errorCode: error.errorCode,
        path,
        attempts,
        ...(error.status !== undefined ? { status: error.status } : {}),
        vaultErrors: error.vaultErrors,
      });
    }
    if (error instanceof VaultConfigError) return error;
    // A foreign transport's error may carry the token or a body: keep only its code.
    return new VaultUnavailableError({
      address: this.address,
      errorCode: safeErrorCode(error),
      path,
      attempts,
    });
  }
}
