// npm run bench:loader — loadVaultSecrets at default options vs the node-vault read loop teams write
// today: 50 KV v2 paths with 20 ms of latency per request, on the in-memory test server (its own
// latency) and, when `bao` is installed, on real OpenBao behind a TCP proxy that adds the same
// latency. Same server and token for both; time, requests and latency round trips of each (time
// minus the time at zero latency, in units of the latency).
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

/** Seeds the paths and a read-only token (with the given id, to reuse one token on two servers). */
async function seed(url, root, id) {
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
    { policies: ['bench'], ttl: '1h', ...(id ? { id } : {}) },
    root,
  );
  return created.auth.client_token;
}

/**
 * Each case runs through the latency and straight to the same server (zero latency). For a server in
 * another process the latency round trips a case waits for are (ms − ms at zero latency) / LATENCY_MS:
 * the CPU time of the requests is not waiting. The test server runs in this process, where its CPU
 * overlaps the latency, so there the bound is the conservative ms / LATENCY_MS.
 */
async function series(name, { url, zeroUrl, token, countRequests, inProcess = false }) {
  const cases = {
    'loadVaultSecrets (default options)': address =>
      loadVaultSecrets({ address, auth: { method: 'token', token }, sources }),
    'node-vault read loop': async endpoint => {
      const vault = nodeVault({ endpoint, token });
      const out = {};
      for (const p of paths) Object.assign(out, (await vault.read(`secret/data/${p}`)).data.data);
      return out;
    },
  };
  for (const fn of Object.values(cases)) await fn(url); // warm-up (module loading, JIT)
  const results = Object.fromEntries(Object.keys(cases).map(n => [n, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [caseName, fn] of Object.entries(cases)) {
      const before = countRequests?.();
      let t0 = performance.now();
      await fn(url);
      const ms = performance.now() - t0;
      const requests = countRequests ? countRequests() - before : undefined;
      t0 = performance.now();
      await fn(zeroUrl);
      results[caseName].push({ ms, zeroMs: performance.now() - t0, requests });
    }
    progress(
      `${name}: run ${i + 1}/${RUNS}: ` +
        Object.entries(results)
          .map(([n, r]) => `${n} ${round(r[i].ms)} ms (${round(r[i].zeroMs)} ms at 0 latency)`)
          .join(', '),
    );
  }
  const rows = Object.entries(results).map(([caseName, runs]) => {
    const ms = median(runs.map(r => r.ms));
    const zeroMs = median(runs.map(r => r.zeroMs));
    const requests = countRequests ? median(runs.map(r => r.requests)) : '-';
    const roundTrips = (inProcess ? ms : Math.max(0, ms - zeroMs)) / LATENCY_MS;
    return { server: name, case: caseName, ms, zeroMs, requests, roundTrips };
  });
  const loop = rows[1];
  for (const r of rows) r.speedup = loop.ms / r.ms;
  return rows;
}

const rows = [];
const server = await VaultTestServer.start({ rootToken: 'bench-root', latencyMs: LATENCY_MS });
// The same secrets and token on a second test server without latency.
const zero = await VaultTestServer.start({ rootToken: 'bench-root' });
try {
  const token = await seed(server.url, 'bench-root', 'bench-reader-token');
  await seed(zero.url, 'bench-root', 'bench-reader-token');
  rows.push(
    ...(await series('test server', {
      url: server.url,
      zeroUrl: zero.url,
      token,
      countRequests: () => server.stats().total,
      inProcess: true,
    })),
  );
} finally {
  await Promise.all([server.stop(), zero.stop()]);
}
const bao = await findBao();
if (bao) {
  const real = await startBao(bao);
  try {
    const token = await seed(real.url, 'root');
    // Half the latency each way: a request costs one LATENCY_MS round trip, as on the test server.
    const proxy = await latencyProxy(real.url, LATENCY_MS / 2);
    try {
      rows.push(
        ...(await series('OpenBao (+20 ms proxy)', { url: proxy.url, zeroUrl: real.url, token })),
      );
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
    'ms at 0 latency': round(r.zeroMs),
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
      zeroLatencyMs: round(r.zeroMs, 2),
      requests: r.requests,
      roundTrips: round(r.roundTrips, 2),
      speedup: round(r.speedup, 2),
    })),
    targets: { speedup: TARGET_SPEEDUP, roundTrips: TARGET_ROUND_TRIPS },
    pass,
  }),
);
