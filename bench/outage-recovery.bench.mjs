// node bench/outage-recovery.bench.mjs (after `npm run build`) — how fast an app notices Vault's
// return after an outage, and how hard it knocks meanwhile: a VaultConfigModule app with scheduled
// refresh reads through a TCP proxy that cuts every connection for OUTAGE_MS; the secret is rotated
// straight in Vault and the proxy restored. Measured, per run: the lag until the app serves the
// rotated value, and the connections it opened during the outage. Targets: the in-memory server,
// plus OpenBao where it is installed. Prints a table, then one JSON line with met / NOT met against
// the goals (lag ≤ 2 intervals × (1 + jitter) + 300 ms; ≤ one connection per interval + 3).
// The e2e suite (test/e2e/module-outage-recovery.e2e-spec.ts) keeps the behaviour only.
import 'reflect-metadata';
import { connect, createServer } from 'node:net';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SecretsService, VaultConfigModule } from 'nestjs-vault-config';
import { VaultTestServer } from 'nestjs-vault-config-testing';
import { findBao, median, printTable, round, startBao } from './bench-support.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const INTERVAL_MS = Number(process.env.REFRESH_INTERVAL_MS ?? 500);
const JITTER = 0.1;
const OUTAGE_MS = Number(process.env.OUTAGE_MS ?? 8000);
const LAG_GOAL_MS = 2 * INTERVAL_MS * (1 + JITTER) + 300;
const CONNECTIONS_GOAL = OUTAGE_MS / (INTERVAL_MS * (1 - JITTER)) + 3;
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** cut(): every open and new connection is reset; restore(): forwarded again. */
async function outageProxy(targetUrl) {
  const upstream = new URL(targetUrl);
  const sockets = new Set();
  let cut = false;
  let attempts = 0;
  const server = createServer(client => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (cut) {
      attempts++;
      client.resetAndDestroy();
      return;
    }
    const remote = connect(Number(upstream.port), upstream.hostname);
    sockets.add(remote);
    remote.on('close', () => sockets.delete(remote));
    remote.on('error', () => client.destroy());
    client.pipe(remote).pipe(client);
    client.on('close', () => remote.destroy());
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    get attempts() {
      return attempts;
    },
    cut() {
      cut = true;
      attempts = 0;
      for (const s of sockets) s.resetAndDestroy();
    },
    restore() {
      cut = false;
    },
    stop: () => {
      for (const s of sockets) s.resetAndDestroy();
      return new Promise(resolve => server.close(resolve));
    },
  };
}

async function writeSecret(vault, value) {
  const res = await fetch(`${vault.url}/v1/secret/data/bench/outage`, {
    method: 'POST',
    headers: { 'X-Vault-Token': vault.rootToken, 'Content-Type': 'application/json' },
    body: JSON.stringify({ data: { OUTAGE_VALUE: value } }),
  });
  if (!res.ok) throw new Error(`writing the secret: ${res.status}`);
}

async function oneRun(vault, run) {
  const proxy = await outageProxy(vault.url);
  await writeSecret(vault, `before-${run}`);
  class AppModule {}
  Module({
    imports: [
      VaultConfigModule.forRoot({
        address: proxy.url,
        auth: { method: 'token', token: vault.rootToken },
        timeoutMs: 1000,
        retry: { attempts: 2, minDelayMs: 20, maxDelayMs: 50 },
        sources: [{ mount: 'secret', path: 'bench/outage' }],
        refresh: { intervalMs: INTERVAL_MS, jitter: JITTER },
      }),
    ],
  })(AppModule);
  const app = await NestFactory.createApplicationContext(AppModule, {
    logger: false,
    abortOnError: false,
  });
  try {
    const secrets = app.get(SecretsService);
    await sleep(1200);
    proxy.cut();
    await sleep(OUTAGE_MS);
    const connections = proxy.attempts;
    const rotated = `after-${run}`;
    await writeSecret(vault, rotated);
    proxy.restore();
    const back = performance.now();
    while (secrets.get('OUTAGE_VALUE') !== rotated) {
      if (performance.now() - back > 10_000) throw new Error('the rotated value never arrived');
      await sleep(10);
    }
    return { lagMs: performance.now() - back, connections };
  } finally {
    await app.close();
    await proxy.stop();
  }
}

const targets = [['memory', async () => VaultTestServer.start({ rootToken: 'bench-root' })]];
const baoBin = await findBao();
const bao = baoBin ? await startBao(baoBin) : undefined;
if (bao) targets.push(['bao', async () => ({ ...bao, rootToken: 'root' })]);
const rows = [];
const results = [];
for (const [kind, start] of targets) {
  const vault = await start();
  const runs = [];
  for (let run = 0; run < RUNS; run++) runs.push(await oneRun(vault, run));
  if (kind === 'memory') await vault.stop();
  const lag = median(runs.map(r => r.lagMs));
  const connections = Math.max(...runs.map(r => r.connections));
  const met = lag <= LAG_GOAL_MS && connections <= CONNECTIONS_GOAL;
  rows.push({
    target: kind,
    runs: RUNS,
    'outage ms': OUTAGE_MS,
    'median lag ms': round(lag),
    'goal lag ms': round(LAG_GOAL_MS),
    'max connections': connections,
    'goal connections': round(CONNECTIONS_GOAL),
    goal: met ? 'met' : 'NOT met',
  });
  results.push({ target: kind, lagMs: round(lag), connections, met });
}
await bao?.stop();
printTable(rows);
console.log(
  JSON.stringify({
    bench: 'outage-recovery',
    intervalMs: INTERVAL_MS,
    outageMs: OUTAGE_MS,
    goals: { lagMs: round(LAG_GOAL_MS), connections: round(CONNECTIONS_GOAL) },
    results,
    met: results.every(r => r.met),
  }),
);
