/**
 * A real 3-node OpenBao cluster with integrated storage (raft) on loopback, for the failover suites.
 * Each node has its own HOME, data dir and ports; node 1 is initialised (one key share), the others
 * join it over raft, all are unsealed and KV v2 is mounted at `secret/`. ≈ 10 s to start: start it
 * once per suite and `stop()` it in afterAll. `kill(node)` is a kill -9 (no graceful step-down).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBaoBinary, freePort } from './vault-target.js';

export interface BaoClusterNode {
  readonly id: string;
  readonly url: string;
  /** False once killed (or after it exited on its own). */
  readonly running: boolean;
}

export interface BaoCluster {
  readonly nodes: readonly BaoClusterNode[];
  readonly urls: string[];
  readonly rootToken: string;
  /** The node whose sys/health answers 200 (active), polled until one does. */
  waitForActive(timeoutMs?: number, among?: readonly BaoClusterNode[]): Promise<BaoClusterNode>;
  /** kill -9 of one node; resolves when the process is gone. */
  kill(node: BaoClusterNode): Promise<void>;
  /** Output of every node so far, for a failure message. */
  logs(): string;
  stop(): Promise<void>;
}

interface NodeProcess {
  id: string;
  url: string;
  child: ChildProcess;
  output: string;
  running: boolean;
}

const START_TIMEOUT_MS = 30_000;
const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms));

async function api(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> | null }> {
  const res = await fetch(`${url}/v1/${path}`, {
    method,
    headers: {
      ...(token ? { 'X-Vault-Token': token } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

/** Retries `step` (e.g. a request to a node still starting) until it resolves or time runs out. */
async function eventually<T>(what: string, step: () => Promise<T | undefined>, ms: number) {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await step();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what} timed out (${String(last)})`);
    await sleep(50);
  }
}

export async function startBaoCluster(size = 3): Promise<BaoCluster> {
  const bin = findBaoBinary();
  if (!bin) throw new Error('bao binary not found; run scripts/install-openbao.sh');
  const root = mkdtempSync(join(tmpdir(), 'bao-cluster-'));
  const nodes: NodeProcess[] = [];
  const stop = async () => {
    await Promise.all(nodes.map(n => killProcess(n)));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (let i = 1; i <= size; i++) nodes.push(await spawnNode(bin, root, i));
    const [first, ...others] = nodes;
    const init = await eventually(
      'init of node1',
      async () => {
        const r = await api(first.url, 'PUT', 'sys/init', {
          secret_shares: 1,
          secret_threshold: 1,
        });
        return r.status === 200 && r.body ? r.body : undefined;
      },
      START_TIMEOUT_MS,
    );
    const key = (init.keys_base64 as string[])[0];
    const rootToken = init.root_token as string;
    await unseal(first, key);
    await eventually('node1 active', () => healthStatus(first.url, 200), START_TIMEOUT_MS);
    // Autopilot promotes a joined node to voter after server_stabilization_time (default 10 s).
    await eventually(
      'autopilot configuration',
      async () => {
        const r = await api(
          first.url,
          'POST',
          'sys/storage/raft/autopilot/configuration',
          {
            server_stabilization_time: '1s',
          },
          rootToken,
        );
        return r.status === 204 || r.status === 200 ? true : undefined;
      },
      START_TIMEOUT_MS,
    );
    for (const node of others) {
      await eventually(
        `raft join of ${node.id}`,
        async () => {
          const r = await api(node.url, 'POST', 'sys/storage/raft/join', {
            leader_api_addr: first.url,
          });
          return r.status === 200 && r.body?.joined === true ? true : undefined;
        },
        START_TIMEOUT_MS,
      );
      await unseal(node, key);
    }
    for (const node of others) {
      await eventually(`${node.id} standby`, () => healthStatus(node.url, 429), START_TIMEOUT_MS);
    }
    // Joined nodes start as non-voters; autopilot promotes them once stable. Before that, killing
    // the leader leaves no quorum.
    await eventually(
      'three raft voters',
      async () => {
        const r = await api(
          first.url,
          'GET',
          'sys/storage/raft/configuration',
          undefined,
          rootToken,
        );
        const servers = ((r.body?.data as { config?: { servers?: { voter?: boolean }[] } })?.config
          ?.servers ?? []) as { voter?: boolean }[];
        return servers.filter(s => s.voter === true).length === size ? true : undefined;
      },
      START_TIMEOUT_MS,
    );
    await eventually(
      'KV v2 mount',
      async () => {
        const r = await api(
          first.url,
          'POST',
          'sys/mounts/secret',
          {
            type: 'kv',
            options: { version: '2' },
          },
          rootToken,
        );
        return r.status === 204 ? true : undefined;
      },
      START_TIMEOUT_MS,
    );
    // A new KV v2 mount answers 400 ("Waiting for the primary to upgrade ...") for a moment.
    for (const node of nodes) {
      await eventually(
        `KV v2 ready on ${node.id}`,
        async () => {
          const r = await api(node.url, 'GET', 'secret/config', undefined, rootToken);
          return r.status === 200 ? true : undefined;
        },
        START_TIMEOUT_MS,
      );
    }
    return clusterOf(nodes, rootToken, stop);
  } catch (error) {
    const logs = nodes.map(n => `--- ${n.id}\n${n.output}`).join('\n');
    await stop();
    throw new Error(`${String(error)}\n${logs}`, { cause: error });
  }
}

function clusterOf(nodes: NodeProcess[], rootToken: string, stop: () => Promise<void>): BaoCluster {
  const views: BaoClusterNode[] = nodes.map(n => ({
    id: n.id,
    url: n.url,
    get running() {
      return n.running;
    },
  }));
  const processOf = (view: BaoClusterNode) => nodes[views.indexOf(view)];
  return {
    nodes: views,
    urls: nodes.map(n => n.url),
    rootToken,
    waitForActive: (timeoutMs = 15_000, among = views) =>
      eventually(
        'an active node',
        async () => {
          for (const view of among.filter(v => v.running)) {
            if ((await healthStatus(view.url, 200).catch(() => undefined)) !== undefined)
              return view;
          }
          return undefined;
        },
        timeoutMs,
      ),
    kill: view => killProcess(processOf(view), 'SIGKILL'),
    logs: () => nodes.map(n => `--- ${n.id}\n${n.output}`).join('\n'),
    stop,
  };
}

async function spawnNode(bin: string, root: string, index: number): Promise<NodeProcess> {
  const dir = join(root, `node${index}`);
  const home = join(dir, 'home');
  mkdirSync(join(dir, 'data'), { recursive: true });
  mkdirSync(home, { recursive: true });
  const [apiPort, clusterPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${apiPort}`;
  const config = join(dir, 'config.hcl');
  writeFileSync(
    config,
    `storage "raft" {
  path = "${join(dir, 'data')}"
  node_id = "node${index}"
  performance_multiplier = 1
  autopilot_reconcile_interval = "1s"
  autopilot_update_interval = "500ms"
}
listener "tcp" {
  address = "127.0.0.1:${apiPort}"
  cluster_address = "127.0.0.1:${clusterPort}"
  tls_disable = true
}
api_addr = "${url}"
cluster_addr = "https://127.0.0.1:${clusterPort}"
disable_mlock = true
`,
  );
  const child = spawn(bin, ['server', `-config=${config}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', HOME: home, BAO_ADDR: url, VAULT_ADDR: url },
  });
  const node: NodeProcess = { id: `node${index}`, url, child, output: '', running: true };
  child.stdout?.on('data', d => (node.output += String(d)));
  child.stderr?.on('data', d => (node.output += String(d)));
  child.once('exit', () => (node.running = false));
  return node;
}

async function unseal(node: NodeProcess, key: string): Promise<void> {
  await eventually(
    `unseal of ${node.id}`,
    async () => {
      const r = await api(node.url, 'PUT', 'sys/unseal', { key });
      return r.status === 200 && r.body?.sealed === false ? true : undefined;
    },
    START_TIMEOUT_MS,
  );
}

/** Resolves when sys/health answers `status`, undefined otherwise. */
async function healthStatus(url: string, status: number): Promise<true | undefined> {
  const res = await fetch(`${url}/v1/sys/health`, { signal: AbortSignal.timeout(2000) });
  await res.arrayBuffer();
  return res.status === status ? true : undefined;
}

function killProcess(node: NodeProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise(resolve => {
    if (!node.running || node.child.exitCode !== null || node.child.signalCode !== null) {
      node.running = false;
      return resolve();
    }
    node.child.once('exit', () => resolve());
    node.child.kill(signal);
    if (signal !== 'SIGKILL') setTimeout(() => node.child.kill('SIGKILL'), 3000).unref();
  });
}
