/**
 * A Vault behind https for the TLS suites.
 * - memory: the in-memory server behind a TLS-terminating proxy with the certificates in
 *   test/fixtures/tls — test-only keys: a P-256 CA (its key thrown away) and a server certificate
 *   for 127.0.0.1 and localhost, valid until 2126, plus an unrelated CA (`other-ca.pem`). Made with
 *   `openssl req -x509 -newkey ec ...` and `openssl x509 -req ... -extfile` (subjectAltName).
 * - bao: `bao server -dev -dev-tls`, with the CA it writes (`vault-ca.pem`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { findBaoBinary, freePort, startTarget, type TargetKind } from './vault-target.js';

export const TLS_FIXTURES = join(process.cwd(), 'test', 'fixtures', 'tls');

export interface TlsTarget {
  readonly kind: TargetKind;
  /** https://127.0.0.1:<port> */
  readonly url: string;
  /** PEM file of the CA that signed the server certificate. */
  readonly caFile: string;
  readonly rootToken: string;
  /** A root request over https, verified against `caFile`. */
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

export async function startTlsTarget(kind: 'memory' | 'bao'): Promise<TlsTarget> {
  return kind === 'memory' ? startMemoryBehindTls() : startBaoWithTls();
}

function httpsJson(
  url: string,
  ca: string,
  method: string,
  token: string | undefined,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, ca, headers: token ? { 'X-Vault-Token': token } : {}, agent: false },
      res => {
        let text = '';
        res.on('data', (c: Buffer) => (text += String(c)));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }),
        );
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function startMemoryBehindTls(): Promise<TlsTarget> {
  const inner = await startTarget('memory');
  const upstream = new URL(inner.url);
  const sockets = new Set<Socket>();
  const proxy = createTlsServer(
    {
      key: readFileSync(join(TLS_FIXTURES, 'server-key.pem')),
      cert: readFileSync(join(TLS_FIXTURES, 'server.pem')),
    },
    client => {
      const server = connect(Number(upstream.port), upstream.hostname);
      for (const s of [client, server]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(server).pipe(client);
    },
  );
  proxy.on('tlsClientError', () => undefined); // a client refusing our certificate is a test case
  const port = await new Promise<number>(resolve =>
    proxy.listen(0, '127.0.0.1', () => resolve((proxy.address() as { port: number }).port)),
  );
  const url = `https://127.0.0.1:${port}`;
  const caFile = join(TLS_FIXTURES, 'ca.pem');
  const ca = readFileSync(caFile, 'utf8');
  return {
    kind: 'memory',
    url,
    caFile,
    rootToken: inner.rootToken,
    admin: (method, path, body) =>
      httpsJson(`${url}/v1/${path}`, ca, method, inner.rootToken, body),
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise(resolve => proxy.close(resolve));
      await inner.stop();
    },
  };
}

async function startBaoWithTls(): Promise<TlsTarget> {
  const bin = findBaoBinary();
  if (!bin) throw new Error('bao binary not found; run scripts/install-openbao.sh');
  const port = await freePort();
  const url = `https://127.0.0.1:${port}`;
  const certDir = mkdtempSync(join(tmpdir(), 'bao-tls-'));
  const child = spawn(
    bin,
    [
      'server',
      '-dev',
      '-dev-tls',
      `-dev-tls-cert-dir=${certDir}`,
      '-dev-root-token-id=root',
      `-dev-listen-address=127.0.0.1:${port}`,
    ],
    // HOME is the temp folder: a dev server writes ~/.vault-token, never the developer's.
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: certDir } },
  );
  let output = '';
  child.stdout.on('data', d => (output += String(d)));
  child.stderr.on('data', d => (output += String(d)));
  const caFile = join(certDir, 'vault-ca.pem');
  const stop = () =>
    new Promise<void>(resolve => {
      const done = () => {
        rmSync(certDir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null) return done();
      child.once('exit', done);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bao -dev-tls exited early:\n${output}`);
    try {
      const ca = readFileSync(caFile, 'utf8');
      if ((await httpsJson(`${url}/v1/sys/health`, ca, 'GET', undefined)).status === 200) break;
    } catch {
      // the CA file or the listener is not there yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`bao -dev-tls did not become healthy within 20s:\n${output}`);
    }
    await new Promise(r => setTimeout(r, 100));
  }
  const ca = readFileSync(caFile, 'utf8');
  return {
    kind: 'bao',
    url,
    caFile,
    rootToken: 'root',
    admin: (method, path, body) => httpsJson(`${url}/v1/${path}`, ca, method, 'root', body),
    stop,
  };
}
