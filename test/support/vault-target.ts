/**
 * One way for every Vault-facing suite to get a server: our in-memory VaultTestServer
 * ("memory") or a real OpenBao dev server ("bao"), or any Vault named by VAULT_ADDR ("external").
 *
 * VAULT_TEST_TARGETS=memory,bao selects targets (default: memory). A "bao" target needs the
 * `bao` binary: $BAO_BIN, ./.venv/bin/bao (scripts/install-openbao.sh) or PATH. When it is
 * missing the target is skipped, unless VAULT_TEST_REQUIRE_REAL=1 (CI), which makes it fail.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TargetKind = 'memory' | 'bao' | 'external';

/** The test-server-only controls the contract suite drives (a structural view of VaultTestServer). */
export interface MemoryServerControl {
  readonly url: string;
  readonly clock: { advance(ms: number): void; now(): number };
  readonly faults: {
    inject(options: Record<string, unknown>): { readonly hits: number; remove(): void };
    clear(): void;
  };
  stats(): { total: number; byRoute: Record<string, number> };
  resetStats(): void;
  restart(): Promise<void>;
}

export interface VaultTarget {
  readonly kind: TargetKind;
  readonly url: string;
  readonly rootToken: string;
  /** The key `sys/unseal` accepts, when known (bao dev prints it; memory exposes it). */
  readonly unsealKey?: string;
  /** Only on the memory target: clock, faults, stats, restart. */
  readonly memory?: MemoryServerControl;
  stop(): Promise<void>;
}

export interface StartTargetOptions {
  /** Seed document path; applied by the memory server itself. Other targets ignore it. */
  readonly seed?: string;
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

export async function startTarget(
  kind: TargetKind,
  options: StartTargetOptions = {},
): Promise<VaultTarget> {
  if (kind === 'memory') {
    const { VaultTestServer } = await import('nestjs-vault-config-testing');
    const server = await VaultTestServer.start({
      rootToken: 'root',
      ...(options.seed ? { seed: options.seed } : {}),
    });
    const control = server as unknown as MemoryServerControl & { unsealKey?: string };
    return {
      kind,
      url: server.url,
      rootToken: server.rootToken,
      unsealKey: control.unsealKey,
      memory: control,
      stop: () => server.stop(),
    };
  }
  if (kind === 'external') {
    return {
      kind,
      url: process.env.VAULT_ADDR as string,
      rootToken: process.env.VAULT_TOKEN as string,
      unsealKey: process.env.VAULT_UNSEAL_KEY || undefined,
      stop: async () => undefined,
    };
  }
  return startBao();
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
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

/**
 * OpenBao differs from Vault: since OpenBao 2.2 `PUT sys/audit/<name>` is refused ("cannot enable
 * audit device via API; use declarative, config-based audit device management instead") unless the
 * server config sets `unsafe_allow_api_audit_creation`. HashiCorp Vault enables audit devices via
 * the API (https://developer.hashicorp.com/vault/api-docs/system/audit#enable-audit-device), so the
 * dev server gets that flag and the contract suite can drive audit the Vault way.
 */
const BAO_EXTRA_CONFIG = 'unsafe_allow_api_audit_creation = true\n';

async function startBao(): Promise<VaultTarget> {
  const bin = findBaoBinary();
  if (!bin) throw new Error('bao binary not found; run scripts/install-openbao.sh');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const configDir = mkdtempSync(join(tmpdir(), 'bao-dev-'));
  const configFile = join(configDir, 'extra.hcl');
  writeFileSync(configFile, BAO_EXTRA_CONFIG);
  const child: ChildProcess = spawn(
    bin,
    [
      'server',
      '-dev',
      '-dev-root-token-id=root',
      `-dev-listen-address=127.0.0.1:${port}`,
      `-config=${configFile}`,
    ],
    // HOME is the temp folder: a dev server writes ~/.vault-token, never the developer's.
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BAO_ADDR: url, VAULT_ADDR: url, HOME: configDir },
    },
  );
  let output = '';
  child.stdout?.on('data', d => (output += String(d)));
  child.stderr?.on('data', d => (output += String(d)));
  const cleanup = () => rmSync(configDir, { recursive: true, force: true });
  const deadline = Date.now() + 20_000;
  let healthy = false;
  for (;;) {
    if (child.exitCode !== null) {
      cleanup();
      throw new Error(`bao exited early:\n${output}`);
    }
    if (!healthy) {
      try {
        const res = await fetch(`${url}/v1/sys/health`);
        healthy = res.status === 200;
      } catch {
        // not listening yet
      }
    }
    // The dev banner with the unseal key is printed right after the listener is up.
    if (healthy && /Unseal Key: \S+/.test(output)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      cleanup();
      throw new Error(`bao did not become healthy within 20s:\n${output}`);
    }
    await new Promise(r => setTimeout(r, 50));
  }
  const unsealKey = /Unseal Key: (\S+)/.exec(output)?.[1];
  return {
    kind: 'bao',
    url,
    rootToken: 'root',
    unsealKey,
    stop: () =>
      new Promise<void>(resolve => {
        const done = () => {
          cleanup();
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
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
