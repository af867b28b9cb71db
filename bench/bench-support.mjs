// Shared helpers for the benches: medians, child boots, table printing.
import { spawn } from 'node:child_process';
import { clearTimeout, setTimeout } from 'node:timers';

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `node <script> ...args` in a fresh process; resolves with the JSON of its last stdout line. */
export function runChild(script, args, env, timeoutMs = 30_000, nodeArgs = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', code => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0)
        return reject(
          new Error(`${script} ${args.join(' ')} exited ${code}: ${err.slice(0, 500)}`),
        );
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`${script} printed no JSON line: ${out.slice(0, 200)}`));
      }
    });
  });
}

export function printTable(rows) {
  const cols = Object.keys(rows[0]);
  const widths = cols.map(c => Math.max(c.length, ...rows.map(r => String(r[c]).length)));
  const line = cells => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  console.log(line(cols));
  console.log(line(widths.map(w => '-'.repeat(w))));
  for (const r of rows) console.log(line(cols.map(c => r[c])));
}

export const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The pinned OpenBao of scripts/install-openbao.sh, or `bao` on PATH; undefined when neither is there. */
export async function findBao() {
  const { existsSync } = await import('node:fs');
  const { execFileSync } = await import('node:child_process');
  const local = new URL('../.venv/bin/bao', import.meta.url).pathname;
  if (process.env.BAO_BIN && existsSync(process.env.BAO_BIN)) return process.env.BAO_BIN;
  if (existsSync(local)) return local;
  try {
    return execFileSync('sh', ['-c', 'command -v bao'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A free TCP port on loopback. */
export async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * A real OpenBao dev server on loopback with its own HOME (it writes ~/.vault-token), root token
 * `root`. Resolves with { url, stop() }.
 */
export async function startBao(bao) {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const home = mkdtempSync(join(tmpdir(), 'bench-bao-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    bao,
    ['server', '-dev', '-dev-root-token-id=root', `-dev-listen-address=127.0.0.1:${port}`],
    { env: { PATH: process.env.PATH, HOME: home }, stdio: 'ignore' },
  );
  for (let i = 0; i < 200; i++) {
    const up = await fetch(`${url}/v1/sys/health`).then(
      r => r.status === 200,
      () => false,
    );
    if (up) break;
    await new Promise(r => setTimeout(r, 100));
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGKILL');
      await new Promise(r => child.once('exit', r));
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Root-token HTTP call to a Vault; rejects on a status >= 300. */
export async function vaultCall(url, method, path, body, token = 'root') {
  const res = await fetch(`${url}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': token, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300)
    throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * A TCP proxy to `target` (host:port) that holds every chunk `ms` before passing it on, both ways:
 * one request costs one round trip of 2 × ms, as over a network. Resolves with { url, stop() }.
 */
export async function latencyProxy(targetUrl, ms) {
  const net = await import('node:net');
  const upstream = new URL(targetUrl);
  const sockets = new Set();
  const later = (to, chunk) => setTimeout(() => to.destroyed || to.write(chunk), ms);
  const server = net.createServer(client => {
    const remote = net.connect(Number(upstream.port), upstream.hostname);
    for (const s of [client, remote]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('data', chunk => later(remote, chunk));
    remote.on('data', chunk => later(client, chunk));
    client.on('close', () => remote.destroy());
    remote.on('close', () => client.destroy());
  });
  const port = await freePort();
  await new Promise(r => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise(r => server.close(r));
    },
  };
}

/** `met` or `NOT met`, for the tables. */
export const verdict = ok => (ok ? 'met' : 'NOT met');
