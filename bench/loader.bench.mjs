// npm run bench:loader — loadVaultSecrets vs the node-vault read loop teams write today,
// 50 paths on the in-memory Vault test server with 20 ms latency per request. Same server, same
// token; time and requests of each. Needs `npm run build` first.
import { performance } from 'node:perf_hooks';
import nodeVault from 'node-vault';
import { loadVaultSecrets } from 'nestjs-vault-config';
import { VaultTestServer } from 'nestjs-vault-config-testing';
import { median, printTable, round } from './bench-support.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PATHS = 50;
const LATENCY_MS = 20;

const secrets = {};
const paths = [];
for (let p = 0; p < PATHS; p++) {
  paths.push(`bench/loader/path-${p}`);
  secrets[`secret/bench/loader/path-${p}`] = { [`KEY_${p}_A`]: `a-${p}`, [`KEY_${p}_B`]: `b-${p}` };
}
const server = await VaultTestServer.start({
  rootToken: 'bench-root',
  latencyMs: LATENCY_MS,
  seed: {
    policies: { bench: 'path "secret/data/bench/*" {\n  capabilities = ["read"]\n}\n' },
    tokens: [{ id: 'bench-token', policies: ['bench'], ttl: '1h' }],
    secrets,
  },
});

const sources = paths.map(path => ({ mount: 'secret', path }));
const cases = {
  'loadVaultSecrets (defaults: concurrency 16, kv auto)': () =>
    loadVaultSecrets({
      address: server.url,
      auth: { method: 'token', token: 'bench-token' },
      sources,
    }),
  'loadVaultSecrets (concurrency 50)': () =>
    loadVaultSecrets({
      address: server.url,
      auth: { method: 'token', token: 'bench-token' },
      sources,
      concurrency: 50,
    }),
  'node-vault read loop': async () => {
    const vault = nodeVault({ endpoint: server.url, token: 'bench-token' });
    const out = {};
    for (const p of paths) Object.assign(out, (await vault.read(`secret/data/${p}`)).data.data);
    return out;
  },
};

async function measure(fn) {
  server.resetStats();
  const t0 = performance.now();
  await fn();
  return { ms: performance.now() - t0, requests: server.stats().total };
}

try {
  const results = Object.fromEntries(Object.keys(cases).map(name => [name, []]));
  for (const fn of Object.values(cases)) await fn(); // warm-up (module loading, JIT), not counted
  for (let i = 0; i < RUNS; i++) {
    for (const [name, fn] of Object.entries(cases)) results[name].push(await measure(fn));
  }
  const rows = Object.entries(results).map(([name, runs]) => {
    const ms = median(runs.map(r => r.ms));
    return { name, ms, requests: median(runs.map(r => r.requests)), roundTrips: ms / LATENCY_MS };
  });
  const loop = rows.find(r => r.name === 'node-vault read loop');
  printTable(
    rows.map(r => ({
      case: r.name,
      'median ms': round(r.ms),
      requests: r.requests,
      'latency round trips': round(r.roundTrips, 1),
      'vs loop': `${round(loop.ms / r.ms, 1)}x`,
    })),
  );
  const main = rows[0];
  console.log(
    JSON.stringify({
      bench: 'loader',
      paths: PATHS,
      latencyMs: LATENCY_MS,
      runs: RUNS,
      results: rows.map(r => ({
        case: r.name,
        medianMs: round(r.ms, 2),
        requests: r.requests,
        roundTrips: round(r.roundTrips, 2),
        speedup: round(loop.ms / r.ms, 2),
      })),
      targets: { speedup: 10, roundTrips: 4 },
      pass: loop.ms / main.ms >= 10 && main.roundTrips <= 4,
    }),
  );
} finally {
  await server.stop();
}
