// npm run bench:loader — loadVaultSecrets at default options vs the node-vault read loop teams write
// today: 50 KV v2 paths with 20 ms of latency per request, on the in-memory test server (its own
// latency) and, when `bao` is installed, on real OpenBao behind a TCP proxy that adds the same
// latency. Same server and token for both; time, requests and latency round trips of each.
// Needs `npm run build` first.
import { performance } from 'node:perf_hooks';
import nodeVault from 'node-vault';
import { loadVaultSecrets } from 'nestjs-vault-config';
import { VaultTestServer } from 'nestjs-vault-config-testing';
import {
  findBao,
  latencyProxy,
  median,
  printTable,
  round,
  startBao,
  vaultCall,
  verdict,
} from './bench-support.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PATHS = 50;
const LATENCY_MS = 20;
const TARGET_SPEEDUP = 20;
const TARGET_ROUND_TRIPS = 2;
const progress = line => process.stderr.write(`${line}\n`);

const paths = Array.from({ length: PATHS }, (_, p) => `bench/loader/path-${p}`);
const sources = paths.map(path => ({ mount: 'secret', path }));
const POLICY = 'path "secret/data/bench/*" {\n  capabilities = ["read"]\n}\n';

async function seed(url, root) {
  await vaultCall(url, 'PUT', 'sys/policies/acl/bench', { policy: POLICY }, root);
  await Promise.all(
    paths.map((path, p) =>
      vaultCall(
        url,
        'POST',
        `secret/data/${path}`,
        { data: { [`KEY_${p}_A`]: `a-${p}`, [`KEY_${p}_B`]: `b-${p}` } },
        root,
      ),
    ),
  );
  const created = await vaultCall(
    url,
    'POST',
    'auth/token/create',
    { policies: ['bench'], ttl: '1h' },
    root,
  );
  return created.auth.client_token;
}

/** One request's round trip through the latency: 2 × LATENCY_MS behind the proxy, LATENCY_MS on the test server. */
async function series(name, url, token, roundTripMs, countRequests) {
  const cases = {
    'loadVaultSecrets (default options)': () =>
      loadVaultSecrets({ address: url, auth: { method: 'token', token }, sources }),
    'node-vault read loop': async () => {
      const vault = nodeVault({ endpoint: url, token });
      const out = {};
      for (const p of paths) Object.assign(out, (await vault.read(`secret/data/${p}`)).data.data);
      return out;
    },
  };
  for (const fn of Object.values(cases)) await fn(); // warm-up (module loading, JIT)
  const results = Object.fromEntries(Object.keys(cases).map(n => [n, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [caseName, fn] of Object.entries(cases)) {
      const before = countRequests?.();
      const t0 = performance.now();
      await fn();
      const ms = performance.now() - t0;
      results[caseName].push({
        ms,
        requests: countRequests ? countRequests() - before : undefined,
      });
    }
    progress(
      `${name}: run ${i + 1}/${RUNS}: ` +
        Object.entries(results)
          .map(([n, r]) => `${n} ${round(r[i].ms)} ms`)
          .join(', '),
    );
  }
  const rows = Object.entries(results).map(([caseName, runs]) => {
    const ms = median(runs.map(r => r.ms));
    const requests = countRequests ? median(runs.map(r => r.requests)) : '-';
    return { server: name, case: caseName, ms, requests, roundTrips: ms / roundTripMs };
  });
  const loop = rows[1];
  for (const r of rows) r.speedup = loop.ms / r.ms;
  return rows;
}

const rows = [];
const server = await VaultTestServer.start({ rootToken: 'bench-root', latencyMs: LATENCY_MS });
try {
  const token = await seed(server.url, 'bench-root');
  rows.push(
    ...(await series('test server', server.url, token, LATENCY_MS, () => server.stats().total)),
  );
} finally {
  await server.stop();
}
const bao = await findBao();
if (bao) {
  const real = await startBao(bao);
  try {
    const token = await seed(real.url, 'root');
    // Half the latency each way: a request costs one LATENCY_MS round trip, as on the test server.
    const proxy = await latencyProxy(real.url, LATENCY_MS / 2);
    try {
      rows.push(...(await series('OpenBao (+20 ms proxy)', proxy.url, token, LATENCY_MS)));
    } finally {
      await proxy.stop();
    }
  } finally {
    await real.stop();
  }
} else {
  progress('OpenBao: not installed (bash scripts/install-openbao.sh), skipped');
}

const ours = rows.filter(r => r.case.startsWith('loadVaultSecrets'));
const pass = ours.every(
  r => r.speedup >= TARGET_SPEEDUP && r.roundTrips <= TARGET_ROUND_TRIPS + 0.5,
);
printTable(
  rows.map(r => ({
    server: r.server,
    case: r.case,
    'median ms': round(r.ms),
    requests: r.requests,
    'latency round trips': round(r.roundTrips, 1),
    'vs loop': `${round(r.speedup, 1)}x`,
    target: r.case.startsWith('loadVaultSecrets')
      ? `>= ${TARGET_SPEEDUP}x: ${verdict(r.speedup >= TARGET_SPEEDUP)}; <= ${TARGET_ROUND_TRIPS} round trips: ${verdict(r.roundTrips <= TARGET_ROUND_TRIPS + 0.5)}`
      : '',
  })),
);
console.log(
  JSON.stringify({
    bench: 'loader',
    paths: PATHS,
    latencyMs: LATENCY_MS,
    runs: RUNS,
    results: rows.map(r => ({
      server: r.server,
      case: r.case,
      medianMs: round(r.ms, 2),
      requests: r.requests,
      roundTrips: round(r.roundTrips, 2),
      speedup: round(r.speedup, 2),
    })),
    targets: { speedup: TARGET_SPEEDUP, roundTrips: TARGET_ROUND_TRIPS },
    pass,
  }),
);
