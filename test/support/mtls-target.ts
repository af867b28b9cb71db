/**
 * A Vault on https that sees client certificates, for the cert-auth suites:
 * - memory: VaultTestServer in its TLS mode, with a server certificate of the suite's test PKI;
 * - bao: `bao server -dev -dev-tls -dev-tls-cert-dir=DIR` (its own CA in DIR), with its own HOME.
 * Both ask for a client certificate and leave it to the cert auth method to judge.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CertificateFiles, TestPki } from './test-pki.js';
import { findBaoBinary, freePort } from './vault-target.js';

export interface MtlsCall {
  /** Default the root token; `null` sends none. */
  readonly token?: string | null;
  readonly body?: unknown;
  /** The client certificate to present on this request (a new connection each time). */
  readonly cert?: CertificateFiles;
  readonly headers?: Record<string, string>;
}

export interface MtlsTarget {
  readonly kind: 'memory' | 'bao';
  /** https://127.0.0.1:<port> */
  readonly url: string;
  /** The CA file that verifies the server's certificate. */
  readonly caFile: string;
  readonly rootToken: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call(method: string, path: string, options?: MtlsCall): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

function httpsCall(url: string, ca: string, rootToken: string) {
  return (method: string, path: string, options: MtlsCall = {}) =>
    new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const token = options.token === undefined ? rootToken : options.token;
      const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
      const req = request(
        `${url}/v1/${path}`,
        {
          method,
          ca,
          agent: false,
          ...(options.cert ? { cert: options.cert.cert, key: options.cert.key } : {}),
          headers: {
            ...(token ? { 'X-Vault-Token': token } : {}),
            ...(payload ? { 'Content-Type': 'application/json' } : {}),
            ...options.headers,
          },
        },
        res => {
          let text = '';
          res.on('data', (c: Buffer) => (text += String(c)));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }),
          );
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
}

export async function startMtlsTarget(kind: 'memory' | 'bao', pki: TestPki): Promise<MtlsTarget> {
  if (kind === 'memory') {
    const { VaultTestServer } = await import('nestjs-vault-config-testing');
    const server = await VaultTestServer.start({
      rootToken: 'root',
      tls: { cert: pki.server.cert, key: pki.server.key },
    });
    return {
      kind,
      url: server.url,
      caFile: pki.ca.certFile,
      rootToken: 'root',
      call: httpsCall(server.url, pki.ca.cert, 'root'),
      stop: () => server.stop(),
    };
  }
  return startBaoDevTls();
}

async function startBaoDevTls(): Promise<MtlsTarget> {
  const bin = findBaoBinary();
  if (!bin) throw new Error('bao binary not found; run scripts/install-openbao.sh');
  const port = await freePort();
  const url = `https://127.0.0.1:${port}`;
  const home = mkdtempSync(join(tmpdir(), 'bao-mtls-'));
  const certDir = join(home, 'tls');
  mkdirSync(certDir);
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
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: home } },
  );
  let output = '';
  child.stdout.on('data', d => (output += String(d)));
  child.stderr.on('data', d => (output += String(d)));
  const caFile = join(certDir, 'vault-ca.pem');
  const stop = () =>
    new Promise<void>(resolve => {
      const done = () => {
        rmSync(home, { recursive: true, force: true });
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
      const health = await httpsCall(url, ca, 'root')('GET', 'sys/health', { token: null });
      if (health.status === 200) break;
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
  return { kind: 'bao', url, caFile, rootToken: 'root', call: httpsCall(url, ca, 'root'), stop };
}
