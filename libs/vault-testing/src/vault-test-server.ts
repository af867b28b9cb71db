import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { ListAwareSocket } from './http/list-aware.socket.js';
import { LIST_ALIAS } from './http/list-method.rewriter.js';
import { TestClock } from './clock/test-clock.js';
import { FaultRegistry } from './faults/fault-registry.js';
import type { FaultOptions } from './interfaces/fault-options.interface.js';
import type { VaultTestServerOptions } from './interfaces/vault-test-server-options.interface.js';
import { BodyTooLargeError, readBody } from './http/read-body.js';
import { tokenFrom, VaultRouter, type HttpAnswer } from './http/vault-router.js';
import { RequestStats, type ServerStats } from './stats/request-stats.js';
import { SysBackend } from './sys/sys.backend.js';
import { VaultCore, type HealthMode } from './state/vault-core.js';
import { newTokenId } from './util/ids.js';
import { installFeatures } from './server-features.js';
import { applySeed } from './seed/apply-seed.js';
import { loadSeedFile } from './seed/load-seed-file.js';
import { AuditBroker } from './audit-devices/audit-broker.js';

const HOST = '127.0.0.1';
const JSON_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };

/**
 * An in-memory, Vault-compatible HTTP server on 127.0.0.1, for tests and local development.
 * `await VaultTestServer.start()`; `await server.stop()` leaves no open handles.
 */
export class VaultTestServer {
  readonly clock: TestClock;
  readonly faults = new FaultRegistry();
  readonly rootToken: string;
  private readonly core: VaultCore;
  private readonly router: VaultRouter;
  private readonly requestStats = new RequestStats();
  private readonly audit: AuditBroker;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private latencyMs: number;
  private http: Server | undefined;
  private net: NetServer | undefined;
  private boundPort: number;

  private constructor(options: VaultTestServerOptions) {
    this.clock = options.clock ?? new TestClock();
    this.rootToken = options.rootToken ?? newTokenId();
    this.latencyMs = options.latencyMs ?? 0;
    this.boundPort = options.port ?? 0;
    this.core = new VaultCore(this.clock, this.rootToken);
    const sys = new SysBackend();
    this.audit = new AuditBroker(this.core);
    installFeatures(this.core, sys, this.audit);
    this.router = new VaultRouter(this.core, sys, () => this.audit.observers());
  }

  static async start(options: VaultTestServerOptions = {}): Promise<VaultTestServer> {
    const server = new VaultTestServer(options);
    if (options.auditFile)
      server.audit.enable(server.core.root, 'file', {
        type: 'file',
        options: { file_path: options.auditFile },
      });
    if (options.seed !== undefined) {
      const seed =
        typeof options.seed === 'string' ? await loadSeedFile(options.seed) : options.seed;
      applySeed(server.core, seed);
    }
    await server.listen();
    return server;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://${HOST}:${this.boundPort}`;
  }

  /** The key `sys/unseal` accepts (base64; its hex form works too). */
  get unsealKey(): string {
    return this.core.unsealKey;
  }

  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('latency must be a number >= 0');
    this.latencyMs = ms;
  }

  seal(): void {
    this.core.sealed = true;
  }

  unseal(): void {
    this.core.sealed = false;
  }

  get sealed(): boolean {
    return this.core.sealed;
  }

  /** What `sys/health` reports: `standby`, `performance-standby`, `dr-secondary`, `uninitialized`. */
  setHealthMode(mode: HealthMode): void {
    this.core.healthMode = mode;
  }

  stats(): ServerStats {
    return this.requestStats.snapshot();
  }

  resetStats(): void {
    this.requestStats.reset();
  }

  /** Closes the listener and every socket; pending delays end at once. */
  async stop(): Promise<void> {
    const http = this.http;
    const net = this.net;
    if (!http || !net) return;
    this.http = undefined;
    this.net = undefined;
    for (const [timer, resolve] of this.timers) {
      clearTimeout(timer);
      resolve();
    }
    this.timers.clear();
    const closed = new Promise<void>(resolve => net.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    http.closeAllConnections();
    http.close();
    await closed;
  }

  /** Stop, then listen again on the same port with all data kept. */
  async restart(): Promise<void> {
    await this.stop();
    await this.listen();
  }

  private listen(): Promise<void> {
    const http = createServer((req, res) => {
      this.onRequest(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500, JSON_HEADERS);
        res.end('{"errors":["internal error"]}\n');
      });
    });
    http.keepAliveTimeout = 5_000;
    http.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    const net = createNetServer(socket => {
      this.sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      http.emit('connection', new ListAwareSocket(socket));
    });
    return new Promise((resolve, reject) => {
      net.once('error', reject);
      net.listen(this.boundPort, HOST, () => {
        net.off('error', reject);
        const address = net.address();
        if (address && typeof address === 'object') this.boundPort = address.port;
        this.http = http;
        this.net = net;
        resolve();
      });
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const query = new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1));
    let pathname: string;
    try {
      pathname = decodeURIComponent(rawPath);
    } catch {
      return this.send(res, {
        status: 400,
        headers: JSON_HEADERS,
        body: '{"errors":["invalid URL escape"]}\n',
      });
    }
    const rawMethod = (req.method ?? 'GET').toUpperCase();
    const method = rawMethod === LIST_ALIAS ? 'LIST' : rawMethod;
    if (pathname.startsWith('/__test/')) return this.onTestApi(req, res, method, pathname);
    if (pathname !== '/v1' && !pathname.startsWith('/v1/')) {
      req.resume();
      return this.send(res, { status: 404, headers: JSON_HEADERS, body: '{"errors":[]}\n' });
    }

    const listParam = query.get('list');
    const statsMethod =
      method === 'GET' && listParam !== null && /^(1|t|true)$/i.test(listParam) ? 'LIST' : method;
    this.requestStats.record(statsMethod, pathname);
    if (this.latencyMs > 0) await this.delay(this.latencyMs);
    const fault = this.faults.take(statsMethod, pathname);
    if (fault && (await this.applyFault(fault, pathname, req, res))) return;

    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (err) {
      const status = err instanceof BodyTooLargeError ? 413 : 400;
      const message = err instanceof BodyTooLargeError ? err.message : 'error reading request body';
      res.setHeader('Connection', 'close');
      return this.send(res, {
        status,
        headers: JSON_HEADERS,
        body: `${JSON.stringify({ errors: [message] })}\n`,
      });
    }
    const answer = await this.router.handle({
      method,
      path: pathname.slice(4),
      query,
      headers: req.headers,
      body,
      remoteAddress: req.socket.remoteAddress ?? HOST,
    });
    this.send(res, answer);
  }

  /** Returns true when the fault answered (or killed) the request. */
  private async applyFault(
    fault: Readonly<FaultOptions>,
    pathname: string,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<boolean> {
    if (fault.latencyMs) await this.delay(fault.latencyMs);
    if (fault.reset) {
      req.socket.destroy();
      return true;
    }
    if (fault.malformed === 'invalid-json') {
      req.resume();
      this.send(res, {
        status: 200,
        headers: JSON_HEADERS,
        body: '{"request_id":"c0ffee","data":{"data":{"value":',
      });
      return true;
    }
    if (fault.malformed === 'truncated') {
      req.resume();
      const full = JSON.stringify({
        request_id: 'c0ffee',
        lease_id: '',
        renewable: false,
        lease_duration: 0,
        data: { data: { value: 'truncated-by-fault-injection' }, metadata: { version: 1 } },
        wrap_info: null,
        warnings: null,
        auth: null,
      });
      res.writeHead(200, { ...JSON_HEADERS, 'Content-Length': String(Buffer.byteLength(full)) });
      res.write(full.slice(0, Math.floor(full.length / 2)), () => res.socket?.destroy());
      return true;
    }
    const status = fault.status ?? (fault.retryAfterS !== undefined ? 429 : undefined);
    if (status !== undefined) {
      req.resume();
      const headers: Record<string, string> = { ...JSON_HEADERS };
      if (fault.retryAfterS !== undefined) headers['Retry-After'] = String(fault.retryAfterS);
      Object.assign(headers, fault.headers ?? {});
      let body: string;
      if (fault.body === undefined)
        body = `${JSON.stringify(defaultFaultBody(status, pathname))}\n`;
      else if (typeof fault.body === 'string') body = fault.body;
      else body = `${JSON.stringify(fault.body)}\n`;
      this.send(res, {
        status,
        headers,
        body: status === 204 || status === 304 ? undefined : body,
      });
      return true;
    }
    return false;
  }

  private async onTestApi(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    pathname: string,
  ) {
    let raw: Buffer;
    try {
      raw = await readBody(req, 1024 * 1024);
    } catch {
      return this.send(res, {
        status: 413,
        headers: JSON_HEADERS,
        body: '{"errors":["request body too large"]}\n',
      });
    }
    if (tokenFrom(req.headers) !== this.rootToken) {
      return this.send(res, {
        status: 403,
        headers: JSON_HEADERS,
        body: '{"errors":["permission denied"]}\n',
      });
    }
    const json = (status: number, value: unknown): void =>
      this.send(res, { status, headers: JSON_HEADERS, body: `${JSON.stringify(value)}\n` });
    let body: Record<string, unknown> = {};
    if (raw.length) {
      try {
        const parsed: unknown = JSON.parse(raw.toString('utf8'));
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
          body = parsed as Record<string, unknown>;
      } catch {
        return json(400, { errors: ['failed to decode JSON input'] });
      }
    }
    const path = pathname.replace(/\/+$/, '');
    if (path === '/__test/stats' && method === 'GET') return json(200, this.stats());
    if (path === '/__test/stats/reset' && method === 'POST') {
      this.resetStats();
      return this.send(res, { status: 204, headers: JSON_HEADERS });
    }
    if (path === '/__test/faults' && method === 'POST') {
      try {
        const fault = this.faults.inject(body as unknown as FaultOptions);
        return json(200, { id: fault.id });
      } catch (err) {
        return json(400, { errors: [err instanceof Error ? err.message : 'invalid fault'] });
      }
    }
    if (path === '/__test/faults' && method === 'GET') {
      return json(200, {
        faults: this.faults
          .list()
          .map(f => ({ id: f.id, hits: f.hits, ...f.options, path: String(f.options.path) })),
      });
    }
    if (path === '/__test/faults' && method === 'DELETE') {
      this.faults.clear();
      return this.send(res, { status: 204, headers: JSON_HEADERS });
    }
    if (path.startsWith('/__test/faults/') && method === 'DELETE') {
      const removed = this.faults.remove(path.slice('/__test/faults/'.length));
      return removed
        ? this.send(res, { status: 204, headers: JSON_HEADERS })
        : json(404, { errors: [] });
    }
    if (path === '/__test/clock/advance' && method === 'POST') {
      const ms = Number(body.ms);
      if (!Number.isFinite(ms) || ms < 0)
        return json(400, { errors: ['ms must be a number >= 0'] });
      this.clock.advance(ms);
      return json(200, { now: this.clock.now() });
    }
    return json(404, { errors: [] });
  }

  private send(res: ServerResponse, answer: HttpAnswer): void {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }

  private delay(ms: number): Promise<void> {
    return new Promise(resolve => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, resolve);
    });
  }
}

function defaultFaultBody(status: number, pathname: string): unknown {
  if (status === 429) {
    return {
      errors: [`request path "${pathname.replace(/^\/v1\//, '')}": rate limit quota exceeded`],
    };
  }
  if (status === 503) return { errors: ['Vault is sealed'] };
  if (status === 500) return { errors: ['internal error'] };
  if (status === 403) return { errors: ['1 error occurred:\n\t* permission denied\n\n'] };
  return { errors: [] };
}
