import * as http from 'node:http';
import type * as Https from 'node:https';
import { VaultResponseError } from '../errors/vault-response.error.js';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import type {
  VaultRequest,
  VaultResponse,
  VaultTransport,
} from '../interfaces/vault-transport.interface.js';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
} from '../options/vault-config-options.defaults.js';
import type { EventLoopHold } from './event-loop-hold.js';
import { retryableErrors, safeErrorCode } from './retryable.js';
import { apiUrlPath } from './vault-path.js';
import { INSPECT } from '../utils/inspect.js';

export interface HttpVaultTransportOptions {
  /** http(s)://host:port[/base-path] */
  address: string;
  /** Per request, default DEFAULT_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Sockets of the keep-alive agent, default DEFAULT_CONCURRENCY. */
  maxSockets?: number;
  /** PEM contents (not paths); several for a CA directory. */
  ca?: string | string[];
  cert?: string;
  key?: string;
  rejectUnauthorized?: boolean;
  /** The TLS server name (SNI and the certificate check), when not the address's host. */
  serverName?: string;
  /** Larger answers fail with VaultResponseError; default 16 MiB. */
  maxBodyBytes?: number;
  /** Whether requests keep the process alive (see EventLoopHold); default they do. */
  hold?: EventLoopHold;
}

/** Larger answers are refused: no Vault answer for config is near this, a runaway proxy may be. */
const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** How a reused keep-alive connection fails when the server has just closed it (TLS: EPROTO). */
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE', 'EPROTO']);

/** node:https (and TLS with it) is loaded on the first https address only: http apps never pay for it. */
function https(): typeof Https {
  return process.getBuiltinModule('node:https');
}

/**
 * The default transport: node:http/node:https with a keep-alive agent (maxSockets = concurrency), a
 * timeout per request, `X-Vault-Request: true`, token and namespace headers. LIST is sent as
 * `GET ?list=true`. `close()` destroys the agent so no socket stays open.
 */
export class HttpVaultTransport implements VaultTransport {
  readonly address: string;
  readonly #url: URL;
  readonly #client: Pick<typeof http, 'request'>;
  readonly #agent: http.Agent;
  readonly #timeoutMs: number;
  readonly #maxBody: number;
  readonly #hold: EventLoopHold | undefined;

  constructor(options: HttpVaultTransportOptions) {
    this.#url = new URL(options.address);
    this.address = `${this.#url.protocol}//${this.#url.host}`;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.#hold = options.hold;
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? DEFAULT_CONCURRENCY };
    const tls = this.#url.protocol === 'https:' ? https() : undefined;
    this.#client = tls ?? http;
    this.#agent =
      tls !== undefined
        ? new tls.Agent({
            ...agentOptions,
            ...(options.ca !== undefined ? { ca: options.ca } : {}),
            ...(options.cert !== undefined ? { cert: options.cert } : {}),
            ...(options.key !== undefined ? { key: options.key } : {}),
            ...(options.serverName !== undefined ? { servername: options.serverName } : {}),
            rejectUnauthorized: options.rejectUnauthorized ?? true,
          })
        : new http.Agent(agentOptions);
  }

  request(req: VaultRequest): Promise<VaultResponse> {
    const isList = req.method === 'LIST';
    const query = isList ? { ...req.query, list: 'true' } : req.query;
    const basePath = this.#url.pathname.replace(/\/+$/, '');
    const headers: Record<string, string> = {
      ...req.headers,
      Accept: 'application/json',
      'X-Vault-Request': 'true',
    };
    if (req.token) headers['X-Vault-Token'] = req.token;
    if (req.namespace) headers['X-Vault-Namespace'] = req.namespace;
    let payload: Buffer | undefined;
    if (req.body !== undefined) {
      payload = Buffer.from(JSON.stringify(req.body));
      headers['Content-Type'] ??= 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const unavailable = (code: string) =>
      new VaultUnavailableError({ address: this.address, errorCode: code, path: req.path });
    const path = apiUrlPath(basePath, req.path, query);
    // Only reads: a write on a connection reset after it went out may have landed (a resent
    // check-and-set write would then fail, or a login spend a second secret-id use).
    const resendOnStaleSocket = req.method === 'GET' || isList;
    return this.#send(req, { path, headers, payload, unavailable }, resendOnStaleSocket);
  }

  #send(
    req: VaultRequest,
    out: {
      path: string;
      headers: Record<string, string>;
      payload: Buffer | undefined;
      unavailable: (code: string) => VaultUnavailableError;
    },
    retryStale: boolean,
  ): Promise<VaultResponse> {
    const isList = req.method === 'LIST';
    const { unavailable, payload } = out;
    return new Promise<VaultResponse>((resolve, reject) => {
      let settled = false;
      let answered = false;
      const finish = (error: Error | undefined, response?: VaultResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          request.destroy();
          reject(error);
        } else resolve(response as VaultResponse);
      };
      const request = this.#client.request({
        protocol: this.#url.protocol,
        hostname: this.#url.hostname.replace(/^\[|\]$/g, ''),
        port: this.#url.port || undefined,
        method: isList ? 'GET' : req.method,
        path: out.path,
        headers: out.headers,
        agent: this.#agent,
      });
      const timer = setTimeout(() => finish(unavailable('ETIMEDOUT')), this.#timeoutMs);
      if (this.#hold) {
        const hold = this.#hold;
        hold.apply(timer);
        // The agent re-refs a reused socket: unref it again for this request.
        request.on('socket', socket => hold.apply(socket));
      }
      request.on('error', err => {
        const code = safeErrorCode(err);
        // A kept-alive connection the server closed as this read went out on it (its idle
        // timeout): the read goes once more, on a new connection.
        if (retryStale && request.reusedSocket && !answered && !settled && STALE_SOCKET.has(code)) {
          settled = true;
          clearTimeout(timer);
          request.destroy();
          resolve(this.#send(req, out, false));
          return;
        }
        finish(unavailable(code));
      });
      request.on('response', res => {
        answered = true;
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        let ended = false;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.#maxBody) {
            finish(
              new VaultResponseError({
                path: req.path,
                status,
                reason: `the response body is larger than ${this.#maxBody} bytes`,
              }),
            );
            res.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', () => undefined);
        res.on('end', () => {
          ended = true;
          if (!res.complete) return finish(truncated(req.path, status));
          const parsed = parseBody(Buffer.concat(chunks).toString('utf8'), status, req.path);
          if (parsed instanceof Error) return finish(parsed);
          finish(undefined, { status, headers: flattenHeaders(res.headers), body: parsed.body });
        });
        res.on('close', () => {
          if (!ended) finish(truncated(req.path, status));
        });
      });
      request.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }

  [INSPECT](): string {
    return `HttpVaultTransport { address: '${this.address}' }`;
  }
}

function truncated(path: string, status: number): VaultResponseError {
  const error = new VaultResponseError({ path, status, reason: 'the response body was cut short' });
  retryableErrors.add(error);
  return error;
}

function parseBody(
  text: string,
  status: number,
  path: string,
): { body: unknown } | VaultResponseError {
  if (text.trim() === '') return { body: undefined };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    if (status >= 200 && status < 300) {
      return new VaultResponseError({
        path,
        status,
        reason: 'the response body is not valid JSON',
      });
    }
    // Error pages from proxies are not JSON; the status alone decides what happens.
    return { body: undefined };
  }
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string | undefined> {
  const out = Object.create(null) as Record<string, string | undefined>;
  for (const [name, value] of Object.entries(headers)) {
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
