/**
 * One way for every Vault-facing suite to get a server: our in-memory VaultTestServer
 * ("memory") or a real OpenBao dev server ("bao"), or any Vault named by VAULT_ADDR ("external").
 *
 * VAULT_TEST_TARGETS=memory,bao selects targets (default: memory). A "bao" target needs the
 * `bao` binary: $BAO_BIN, ./.venv/bin/bao (scripts/install-openbao.sh) or PATH. When it is
 * missing the target is skipped, unless VAULT_TEST_REQUIRE_REAL=1 (CI), which makes it fail.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export type TargetKind = 'memory' | 'bao' | 'external';

export interface VaultTarget {
  readonly kind: TargetKind;
  readonly url: string;
  readonly rootToken: string;
  stop(): Promise<void>;
}

export function findBaoBinary(): string | undefined {
  const candidates = [process.env.BAO_BIN, join(process.cwd(), '.venv', 'bin', 'bao')];
  for (const c of candidates) if (c && existsSync(c)) return c;
  const which = spawnSync('sh', ['-c', 'command -v bao'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  return found ? found : undefined;
}

/** The targets this run covers, in order. Unavailable optional targets are left out. */
export function selectedTargets(): TargetKind[] {
  const wanted = (process.env.VAULT_TEST_TARGETS ?? 'memory')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean) as TargetKind[];
  const requireReal = process.env.VAULT_TEST_REQUIRE_REAL === '1';
  return wanted.filter(kind => {
    if (kind === 'bao' && !findBaoBinary()) {
      if (requireReal) throw new Error('VAULT_TEST_REQUIRE_REAL=1 but no bao binary was found');
      return false;
    }
    if (kind === 'external' && !(process.env.VAULT_ADDR && process.env.VAULT_TOKEN)) {
      if (requireReal) throw new Error('external target needs VAULT_ADDR and VAULT_TOKEN');
      return false;
    }
    return true;
  });
}

export async function startTarget(kind: TargetKind): Promise<VaultTarget> {
  if (kind === 'memory') {
    const { VaultTestServer } = await import('nestjs-vault-config-testing');
    const server = await VaultTestServer.start({ rootToken: 'root' });
    return { kind, url: server.url, rootToken: server.rootToken, stop: () => server.stop() };
  }
  if (kind === 'external') {
    return {
      kind,
      url: process.env.VAULT_ADDR as string,
      rootToken: process.env.VAULT_TOKEN as string,
      stop: async () => undefined,
    };
  }
  return startBao();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function startBao(): Promise<VaultTarget> {
  const bin = findBaoBinary();
  if (!bin) throw new Error('bao binary not found; run scripts/install-openbao.sh');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    bin,
    ['server', '-dev', '-dev-root-token-id=root', `-dev-listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BAO_ADDR: url, VAULT_ADDR: url } },
  );
  let output = '';
  child.stdout?.on('data', d => (output += String(d)));
  child.stderr?.on('data', d => (output += String(d)));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bao exited early:\n${output}`);
    try {
      const res = await fetch(`${url}/v1/sys/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`bao did not become healthy within 20s:\n${output}`);
    }
    await new Promise(r => setTimeout(r, 100));
  }
  return {
    kind: 'bao',
    url,
    rootToken: 'root',
    stop: () =>
      new Promise<void>(resolve => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/** Minimal admin client for test set-up, speaking plain Vault HTTP to any target. */
export async function vaultRequest(
  target: Pick<VaultTarget, 'url' | 'rootToken'>,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(`${target.url}/v1/${path.replace(/^\/+/, '')}`, {
    method,
    headers: {
      'X-Vault-Token': target.rootToken,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // leave as text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
