// npm run bench:refresh — SecretsService.refresh() over 50 KV v2 paths (2 keys each) on the
// in-memory Vault test server with 20 ms latency per request: when nothing changed and when every
// path has a new version, with data reads (default) and with `useMetadata: true`. Time, Vault
// requests and `changes.length` of each. Needs `npm run build` first.
import { performance } from 'node:perf_hooks';
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SecretsService, VaultConfigModule } from 'nestjs-vault-config';
import { VaultTestServer } from 'nestjs-vault-config-testing';
import { median, printTable, round } from './bench-support.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PATHS = 50;
const LATENCY_MS = 20;
const ROOT = 'bench-root';

const read = prefix => `path "secret/${prefix}/bench/*" {\n  capabilities = ["read"]\n}\n`;
const secrets = {};
const paths = [];
for (let p = 0; p < PATHS; p++) {
  paths.push(`bench/refresh/path-${p}`);
  secrets[`secret/bench/refresh/path-${p}`] = valuesOf(p, 0);
}
const server = await VaultTestServer.start({
  rootToken: ROOT,
  latencyMs: LATENCY_MS,
  seed: {
    policies: { bench: read('data'), 'bench-metadata': read('data') + read('metadata') },
    tokens: [
      { id: 'bench-token', policies: ['bench'], ttl: '1h' },
      { id: 'bench-metadata-token', policies: ['bench-metadata'], ttl: '1h' },
    ],
    secrets,
  },
});

function valuesOf(p, generation) {
  return { [`KEY_${p}_A`]: `a-${p}-${generation}`, [`KEY_${p}_B`]: `b-${p}-${generation}` };
}

/** A new version of every path, written as root (not counted: stats are reset afterwards). */
let generation = 0;
async function writeAll() {
  generation += 1;
  const writes = paths.map(async (path, p) => {
    const res = await fetch(`${server.url}/v1/secret/data/${path}`, {
      method: 'POST',
      headers: { 'X-Vault-Token': ROOT, 'Content-Type': 'application/json' },
      body: JSON.stringify({ data: valuesOf(p, generation) }),
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`write ${path}: HTTP ${res.status}`);
  });
  await Promise.all(writes);
}

async function boot(token, refresh) {
  class AppModule {}
  Module({
    imports: [
      VaultConfigModule.forRoot({
        address: server.url,
        auth: { method: 'token', token },
        sources: paths.map(path => ({ mount: 'secret', path })),
        refresh,
      }),
    ],
  })(AppModule);
  return NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
}

function requestKinds(byRoute) {
  const kinds = { data: 0, metadata: 0, other: 0 };
  for (const [route, n] of Object.entries(byRoute)) {
    if (route.startsWith('GET /v1/secret/data/')) kinds.data += n;
    else if (route.startsWith('GET /v1/secret/metadata/')) kinds.metadata += n;
    else kinds.other += n;
  }
  return kinds;
}

async function measure(secretsService) {
  server.resetStats();
  const t0 = performance.now();
  const result = await secretsService.refresh();
  const ms = performance.now() - t0;
  const { total, byRoute } = server.stats();
  return { ms, requests: total, changes: result.changes.length, ...requestKinds(byRoute) };
}

const configs = {
  'data reads (default)': ['bench-token', { intervalMs: 3_600_000 }],
  'useMetadata: true': ['bench-metadata-token', { intervalMs: 3_600_000, useMetadata: true }],
};

const rows = [];
try {
  for (const [name, [token, refresh]] of Object.entries(configs)) {
    const app = await boot(token, refresh);
    try {
      const secretsService = app.get(SecretsService);
      await secretsService.refresh(); // warm-up (JIT, sockets), not counted
      const unchanged = [];
      for (let i = 0; i < RUNS; i++) unchanged.push(await measure(secretsService));
      const changed = [];
      for (let i = 0; i < RUNS; i++) {
        await writeAll();
        changed.push(await measure(secretsService));
      }
      for (const [when, runs] of [
        ['nothing changed', unchanged],
        ['all 50 paths changed', changed],
      ]) {
        const m = key => median(runs.map(r => r[key]));
        rows.push({
          config: name,
          when,
          ms: m('ms'),
          requests: m('requests'),
          data: m('data'),
          metadata: m('metadata'),
          other: m('other'),
          changes: m('changes'),
          changesPerRun: runs.map(r => r.changes),
        });
      }
    } finally {
      await app.close();
    }
  }
} finally {
  await server.stop();
}

printTable(
  rows.map(r => ({
    config: r.config,
    when: r.when,
    'median ms': round(r.ms),
    'Vault requests': r.requests,
    'data GETs': r.data,
    'metadata GETs': r.metadata,
    other: r.other,
    'latency round trips': round(r.ms / LATENCY_MS, 1),
    'changes.length': r.changes,
  })),
);
console.log(
  JSON.stringify({
    bench: 'refresh',
    paths: PATHS,
    keysPerPath: 2,
    latencyMs: LATENCY_MS,
    runs: RUNS,
    results: rows.map(r => ({
      config: r.config,
      when: r.when,
      medianMs: round(r.ms, 2),
      requests: r.requests,
      dataGets: r.data,
      metadataGets: r.metadata,
      otherRequests: r.other,
      roundTrips: round(r.ms / LATENCY_MS, 2),
      changes: r.changes,
      changesPerRun: r.changesPerRun,
    })),
  }),
);
