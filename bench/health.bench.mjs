// npm run bench:health — GET /health under load with and without VaultHealthIndicator, in two Nest
// apps in this process, both loading from the in-memory Vault test server. Counts the Vault probes
// (one probe = GET sys/health + GET auth/token/lookup-self) per `healthCacheMs` window and compares
// latencies. Then a hung Vault (sys/health answers after 5 s): /health must stay bounded by
// `healthTimeoutMs`. Needs `npm run build` first.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import 'reflect-metadata';
import { Controller, Get, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import '@nestjs/platform-express';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { VaultConfigModule } from 'nestjs-vault-config';
import { VaultHealthIndicator } from 'nestjs-vault-config/health';
import { VaultTestServer } from 'nestjs-vault-config-testing';
import { median, printTable, round } from './bench-support.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REQUESTS = 1000;
const CLIENTS = 50;
const WARM_UP = 50;
// Short enough that one run of 1,000 requests spans several cache windows.
const CACHE_MS = Number(process.env.BENCH_HEALTH_CACHE_MS ?? 100);
const HUNG_REQUESTS = 200;
const HUNG_TIMEOUT_MS = 200;
const HUNG_LATENCY_MS = 5000;
const REQUEST_TIMEOUT_MS = 15_000;

const server = await VaultTestServer.start({
  rootToken: 'bench-root',
  seed: {
    policies: { bench: 'path "secret/data/bench/*" {\n  capabilities = ["read"]\n}\n' },
    tokens: [{ id: 'bench-token', policies: ['bench'], ttl: '1h' }],
    secrets: { 'secret/bench/health/app': { HEALTH_BENCH_KEY: 'health-bench-value' } },
  },
});

/** A Nest app whose GET /health runs `checks(indicator)`; `indicator` is undefined without Vault's. */
async function bootApp({ withIndicator, healthTimeoutMs }) {
  class HealthController {
    constructor(health, vault) {
      this.health = health;
      this.vault = vault;
    }
    check() {
      return this.health.check(withIndicator ? [() => this.vault.isHealthy('vault')] : []);
    }
  }
  Controller('health')(HealthController);
  Inject(HealthCheckService)(HealthController, undefined, 0);
  if (withIndicator) Inject(VaultHealthIndicator)(HealthController, undefined, 1);
  const check = Object.getOwnPropertyDescriptor(HealthController.prototype, 'check');
  HealthCheck()(HealthController.prototype, 'check', check);
  Get()(HealthController.prototype, 'check', check);

  class AppModule {}
  Module({
    imports: [
      VaultConfigModule.forRoot({
        address: server.url,
        auth: { method: 'token', token: 'bench-token' },
        sources: [{ mount: 'secret', path: 'bench/health/app' }],
        healthCacheMs: CACHE_MS,
        ...(healthTimeoutMs !== undefined ? { healthTimeoutMs } : {}),
      }),
      TerminusModule,
    ],
    controllers: [HealthController],
    providers: withIndicator ? [VaultHealthIndicator] : [],
  })(AppModule);

  const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address();
  // One agent per app for warm-up and every run: the runs measure requests, not socket set-up.
  return { app, port, agent: new Agent({ keepAlive: true, maxSockets: CLIENTS }) };
}

function getHealth(agent, port) {
  return new Promise(resolve => {
    const t0 = performance.now();
    const req = request({ agent, host: '127.0.0.1', port, path: '/health' }, res => {
      res.resume();
      res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode }));
      res.on('error', () => resolve({ ms: performance.now() - t0, status: 0 }));
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ ms: performance.now() - t0, status: 0 }));
    req.end();
  });
}

/** `total` GET /health from `CLIENTS` concurrent clients on the app's keep-alive agent. */
async function load({ port, agent }, total) {
  const latencies = [];
  const statuses = {};
  let next = 0;
  const client = async () => {
    while (next < total) {
      next += 1;
      const { ms, status } = await getHealth(agent, port);
      latencies.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const wallMs = performance.now() - t0;
  latencies.sort((a, b) => a - b);
  const pct = p => latencies[Math.min(latencies.length, Math.ceil(p * latencies.length)) - 1];
  return { wallMs, p50: pct(0.5), p99: pct(0.99), max: latencies.at(-1), statuses };
}

function vaultCalls() {
  const { byRoute, total } = server.stats();
  const count = suffix =>
    Object.entries(byRoute)
      .filter(([route]) => route.endsWith(suffix))
      .reduce((sum, [, n]) => sum + n, 0);
  return { probes: count(' /v1/sys/health'), lookups: count('/auth/token/lookup-self'), total };
}

async function measure(target, total) {
  server.resetStats();
  const run = await load(target, total);
  const calls = vaultCalls();
  const windows = Math.ceil(run.wallMs / CACHE_MS);
  return { ...run, ...calls, windows };
}

const apps = [];
try {
  const a = await bootApp({ withIndicator: true });
  apps.push(a);
  const b = await bootApp({ withIndicator: false });
  apps.push(b);
  await load(a, WARM_UP);
  await load(b, WARM_UP);

  // Each run starts after the cached probe has expired (B waits the same), so every A run pays
  // for one probe and crosses one window boundary — the worst case, not a lucky cache hit.
  const runs = { A: [], B: [] };
  for (let round = 0; round < ROUNDS; round++) {
    await sleep(CACHE_MS + 50);
    runs.A.push(await measure(a, REQUESTS));
    await sleep(CACHE_MS + 50);
    runs.B.push(await measure(b, REQUESTS));
  }
  for (const [name, list] of Object.entries(runs)) {
    const bad = list.flatMap(r => Object.keys(r.statuses)).filter(s => s !== '200');
    if (bad.length) throw new Error(`app ${name} answered statuses ${bad.join(',')}`);
  }
  const summary = list => {
    const m = key => median(list.map(r => r[key]));
    return {
      wallMs: m('wallMs'),
      p50: m('p50'),
      p99: m('p99'),
      max: m('max'),
      probes: m('probes'),
      lookups: m('lookups'),
      vaultRequests: m('total'),
      windows: m('windows'),
      probesPerWindow: median(list.map(r => r.probes / r.windows)),
      requestsPerWindow: median(list.map(r => r.total / r.windows)),
      maxProbesPerWindow: Math.max(...list.map(r => r.probes / r.windows)),
    };
  };
  const A = summary(runs.A);
  const B = summary(runs.B);

  // Hung Vault: sys/health answers after 5 s; the indicator gives up after healthTimeoutMs.
  const c = await bootApp({ withIndicator: true, healthTimeoutMs: HUNG_TIMEOUT_MS });
  apps.push(c);
  await load(c, WARM_UP);
  const fault = server.faults.inject({ path: '/v1/sys/health', latencyMs: HUNG_LATENCY_MS });
  await sleep(CACHE_MS + 50); // the warm-up's cached answer expires: the run has to probe
  const hung = await measure(c, HUNG_REQUESTS);
  const faultHits = fault.hits;
  fault.remove();

  const row = (name, s) => ({
    case: name,
    requests: REQUESTS,
    'wall ms': round(s.wallMs),
    'p50 ms': round(s.p50, 2),
    'p99 ms': round(s.p99, 2),
    'max ms': round(s.max, 2),
    'probes (sys/health)': s.probes,
    'lookup-self': s.lookups,
    windows: s.windows,
    'probes/window': round(s.probesPerWindow, 2),
    'Vault req/window': round(s.requestsPerWindow, 2),
  });
  printTable([
    row('A: with VaultHealthIndicator', A),
    row('B: health.check([])', B),
    {
      ...row(`hung Vault (5 s), healthTimeoutMs ${HUNG_TIMEOUT_MS}`, {
        ...hung,
        probesPerWindow: hung.probes / hung.windows,
        requestsPerWindow: hung.total / hung.windows,
        lookups: hung.lookups,
      }),
      requests: HUNG_REQUESTS,
    },
  ]);
  const p99Ratio = A.p99 / B.p99;
  console.log(
    `p99 with / without the indicator: ${round(p99Ratio, 2)}x (+${round(A.p99 - B.p99, 2)} ms); ` +
      `hung Vault statuses: ${JSON.stringify(hung.statuses)}`,
  );
  const pass =
    A.maxProbesPerWindow <= 1 && hung.p99 <= HUNG_TIMEOUT_MS * 2 && hung.probes <= hung.windows;
  console.log(
    JSON.stringify({
      bench: 'health',
      requests: REQUESTS,
      clients: CLIENTS,
      rounds: ROUNDS,
      healthCacheMs: CACHE_MS,
      withIndicator: { ...rounded(A), perRound: perRound(runs.A) },
      withoutIndicator: { ...rounded(B), perRound: perRound(runs.B) },
      p99Ratio: round(p99Ratio, 2),
      hung: {
        requests: HUNG_REQUESTS,
        healthTimeoutMs: HUNG_TIMEOUT_MS,
        vaultLatencyMs: HUNG_LATENCY_MS,
        wallMs: round(hung.wallMs, 1),
        p50: round(hung.p50, 2),
        p99: round(hung.p99, 2),
        max: round(hung.max, 2),
        probes: hung.probes,
        faultHits,
        windows: hung.windows,
        statuses: hung.statuses,
      },
      targets: { probesPerWindow: 1, hungP99Ms: HUNG_TIMEOUT_MS * 2 },
      pass,
    }),
  );
} finally {
  for (const { app, agent } of apps) {
    agent.destroy();
    await app.close();
  }
  await server.stop();
}

function perRound(list) {
  return list.map(r => ({
    wallMs: round(r.wallMs, 1),
    p99: round(r.p99, 2),
    probes: r.probes,
    lookups: r.lookups,
    windows: r.windows,
  }));
}

function rounded(s) {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, round(v, 2)]));
}
