import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { constants as cryptoConstants } from 'node:crypto';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import { ListAwareSocket } from './http/list-aware.socket.js';
import { LIST_ALIAS } from './http/list-method.rewriter.js';
import { TestClock } from './clock/test-clock.js';
import { FaultRegistry } from './faults/fault-registry.js';
import { applyFault } from './faults/fault-response.js';
import type { VaultTestServerOptions } from './interfaces/vault-test-server-options.interface.js';
import { BodyTooLargeError, readBody } from './http/read-body.js';
import { JSON_HEADERS } from './http/http-answer.js';
import { sendAnswer } from './http/send-answer.js';
import { peerCertificates } from './http/tls-peer.js';
import { handleTestApi } from './http/test-api.handler.js';
import { VaultRouter } from './http/vault-router.js';
import { RequestStats, type ServerStats } from './stats/request-stats.js';
import { SysBackend } from './sys/sys.backend.js';
import { VaultCore, type HealthMode } from './state/vault-core.js';
import { newTokenId } from './util/ids.js';
import { installFeatures } from './server-features.js';
import { installCloudAuth } from './auth/cloud/install-cloud-auth.js';
import { applySeed } from './seed/apply-seed.js';
import { loadSeedFile } from './seed/load-seed-file.js';
import { AuditBroker } from './audit-devices/audit-broker.js';

const HOST = '127.0.0.1';

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
  private readonly tls: SecureContext | undefined;
  private http: Server | undefined;
  private net: NetServer | undefined;
  private boundPort: number;

  private constructor(options: VaultTestServerOptions) {
    this.clock = options.clock ?? new TestClock();
    this.rootToken = options.rootToken ?? newTokenId();
    this.latencyMs = options.latencyMs ?? 0;
    this.boundPort = options.port ?? 0;
    // No session tickets: a TLSSocket made by hand (not by a tls.Server) cannot resume a session,
    // and answers a client's resumption with an "internal error" alert (EPROTO on every new
    // connection after the first one of a keep-alive agent closed).
    this.tls = options.tls
      ? createSecureContext({ ...options.tls, secureOptions: cryptoConstants.SSL_OP_NO_TICKET })
      : undefined;
    this.core = new VaultCore(this.clock, this.rootToken);
    const sys = new SysBackend();
    this.audit = new AuditBroker(this.core);
    installFeatures(this.core, sys, this.audit);
    installCloudAuth(this.core.engines, options.cloud);
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
    return `${this.tls ? 'https' : 'http'}://${HOST}:${this.boundPort}`;
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
      // Like a Vault listener without tls_require_and_verify_client_cert: a client certificate is
      // asked for, and whatever is presented is left to the cert auth method to judge.
      const stream = this.tls
        ? new TLSSocket(socket, {
            isServer: true,
            secureContext: this.tls,
            requestCert: true,
            rejectUnauthorized: false,
          })
        : socket;
      if (stream !== socket) stream.on('error', () => socket.destroy());
      http.emit('connection', new ListAwareSocket(stream));
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
      return sendAnswer(res, {
        status: 400,
        headers: JSON_HEADERS,
        body: '{"errors":["invalid URL escape"]}\n',
      });
    }
    const rawMethod = (req.method ?? 'GET').toUpperCase();
    const method = rawMethod === LIST_ALIAS ? 'LIST' : rawMethod;
    if (pathname.startsWith('/__test/')) return handleTestApi(this, req, res, method, pathname);
    if (pathname !== '/v1' && !pathname.startsWith('/v1/')) {
      req.resume();
      return sendAnswer(res, { status: 404, headers: JSON_HEADERS, body: '{"errors":[]}\n' });
    }

    const listParam = query.get('list');
    const statsMethod =
      method === 'GET' && listParam !== null && /^(1|t|true)$/i.test(listParam) ? 'LIST' : method;
    this.requestStats.record(statsMethod, pathname);
    if (this.latencyMs > 0) await this.delay(this.latencyMs);
    const fault = this.faults.take(statsMethod, pathname);
    const delay = (ms: number) => this.delay(ms);
    if (fault && !fault.afterHandling && (await applyFault(fault, pathname, req, res, delay))) {
      return;
    }

    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (err) {
      const status = err instanceof BodyTooLargeError ? 413 : 400;
      const message = err instanceof BodyTooLargeError ? err.message : 'error reading request body';
      res.setHeader('Connection', 'close');
      return sendAnswer(res, {
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
      ...peerCertificates(req.socket),
    });
    if (fault?.afterHandling && (await applyFault(fault, pathname, req, res, delay))) return;
    sendAnswer(res, answer);
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
