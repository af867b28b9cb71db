import type {
  VaultLoginClient,
  VaultLoginOptions,
  WrappingTokenInfo,
} from '../auth/auth-method.interface.js';
import { VaultResponseError } from '../errors/vault-response.error.js';
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
import type { EventLoopHold } from './event-loop-hold.js';
import {
  isIdempotent,
  resolveRetryOptions,
  sendWithRetries,
  transportFailure,
} from './retrying-request.js';
import { addressOf } from './answered-by.js';
import { checkHeaderValues } from './header-values.js';
import { loginRefused } from './login-error.js';
import { lookupWrapping, unwrap } from './response-wrapping.js';
import type { VaultClientRequest, VaultRequester } from './vault-client-request.interface.js';
import { expectAuth, expectEnvelope, expectHealth, statusError } from './vault-response.js';
import { INSPECT } from '../utils/inspect.js';

export interface VaultClientOptions {
  transport: VaultTransport;
  /** Shown in error messages; default the transport's `address` or 'Vault'. */
  address?: string;
  token?: string;
  namespace?: string;
  retry?: Partial<ResolvedRetryOptions>;
  /** Whether retry waits keep the process alive (see EventLoopHold); default they do. */
  hold?: EventLoopHold;
}

/**
 * A small typed Vault client on a VaultTransport: the API methods, typed errors, token and namespace.
 * Retries are sendWithRetries' (never 400/403/404). The token is private and never printed.
 */
export class VaultClient implements VaultLoginClient, VaultRequester {
  readonly namespace?: string;
  readonly #transport: VaultTransport;
  readonly #address: string | undefined;
  readonly #retry: ResolvedRetryOptions;
  readonly #hold: EventLoopHold | undefined;
  #token: string | undefined;
  /** Wrapping tokens whose unwrap answer was lost (used up, so worthless; never shown). */
  readonly #lostUnwraps = new Set<string>();

  constructor(options: VaultClientOptions) {
    this.#transport = options.transport;
    this.#address = options.address;
    if (options.namespace !== undefined) this.namespace = options.namespace;
    this.#token = options.token;
    this.#retry = resolveRetryOptions(options.retry);
    this.#hold = options.hold;
  }

  /** The address in use: the option, else the transport's (read live: a failover transport moves). */
  get address(): string {
    if (this.#address !== undefined) return this.#address;
    const transportAddress = (this.#transport as { address?: unknown }).address;
    return typeof transportAddress === 'string' ? transportAddress : 'Vault';
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
    const { idempotent, authenticated, tokenOverride, ...rest } = req;
    const safeToRepeat = isIdempotent(req.method, idempotent);
    const token = tokenOverride ?? (authenticated !== false ? this.#token : undefined);
    const sent: VaultRequest = {
      ...rest,
      idempotent: safeToRepeat,
      ...(token ? { token } : {}),
      ...(this.namespace ? { namespace: this.namespace } : {}),
    };
    checkHeaderValues(sent, tokenOverride !== undefined);
    return sendWithRetries(this.#transport, sent, {
      address: this.address,
      retry: this.#retry,
      idempotent: safeToRepeat,
      ...(this.#hold ? { hold: this.#hold } : {}),
    });
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
      throw transportFailure(error, addressOf(error, this.address), 'sys/health', 1);
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

  /** POST auth/<mount>/login (or `options.path` under the mount) and use the new token. */
  async login(
    mount: string,
    body: Record<string, unknown>,
    method: string = mount,
    options: VaultLoginOptions = {},
  ): Promise<VaultAuthBlock> {
    const path = `auth/${mount}/${options.path ?? 'login'}`;
    const res = await this.request({ method: 'POST', path, body, authenticated: false });
    if (res.status < 200 || res.status >= 300) {
      throw loginRefused(res, path, method, options.secrets ?? [], options.hint);
    }
    const envelope = expectEnvelope<unknown>(res, path, 'update', true);
    const auth = expectAuth(envelope, path);
    this.#token = auth.client_token;
    return auth;
  }

  lookupWrapping(wrappingToken: string, method: string): Promise<WrappingTokenInfo> {
    return lookupWrapping(this, wrappingToken, method, this.#lostUnwraps);
  }

  unwrap(wrappingToken: string, method: string): Promise<Record<string, unknown>> {
    return unwrap(this, wrappingToken, method, this.#lostUnwraps);
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
}
