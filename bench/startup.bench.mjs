// npm run bench:startup — boot cost of VaultConfigModule over plain ConfigModule with the values in
// env: a Nest app reading 20 secrets over 5 KV v2 paths with a least-privilege token, on the
// in-memory test server and, when `bao` is installed (scripts/install-openbao.sh), on real OpenBao.
// Each boot is a fresh node process; the modes alternate; medians per phase (import / module /
// create / listen). Also the import cost of the entries in fresh processes. Needs `npm run build`.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';
import { VaultTestServer } from 'nestjs-vault-config-testing';
import {
  findBao,
  median,
  printTable,
  round,
  runChild,
  startBao,
  vaultCall,
  verdict,
} from './bench-support.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const IMPORT_RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 15);
const TARGET_OVERHEAD_MS = 5;
const TARGET_IMPORT_MAIN_MS = 3;
const TARGET_IMPORT_HEALTH_MS = 2;
const child = fileURLToPath(new URL('./startup.child.mjs', import.meta.url));
const progress = line => process.stderr.write(`${line}\n`);

const PATHS = 5;
const PER_PATH = 4;
const values = {};
const secrets = {};
const sources = [];
for (let p = 0; p < PATHS; p++) {
  const data = {};
  for (let k = 0; k < PER_PATH; k++) {
    const key = `BENCH_SECRET_${p}_${k}`;
    data[key] = values[key] = `value-${p}-${k}-${'x'.repeat(24)}`;
  }
  secrets[`bench/app/path-${p}`] = data;
  sources.push({ mount: 'secret', path: `bench/app/path-${p}` });
}
const keys = Object.keys(values);
const POLICY = 'path "secret/data/bench/*" {\n  capabilities = ["read"]\n}\n';

/** Seeds a Vault over its HTTP API (the same on both servers) and returns a least-privilege token. */
async function seed(url, root) {
  await vaultCall(url, 'PUT', 'sys/policies/acl/bench', { policy: POLICY }, root);
  for (const [path, data] of Object.entries(secrets)) {
    await vaultCall(url, 'POST', `secret/data/${path}`, { data }, root);
  }
  const created = await vaultCall(
    url,
    'POST',
    'auth/token/create',
    { policies: ['bench'], ttl: '1h' },
    root,
  );
  return created.auth.client_token;
}

/** A copy of the package's ES module bundles, without their sourceMappingURL comments. */
async function copyWithoutSourceMaps() {
  const from = fileURLToPath(new URL('../libs/vault-config/dist/', import.meta.url));
  const dir = await mkdtemp(fileURLToPath(new URL('./.no-maps-', import.meta.url)));
  for (const file of ['index.js', 'errors.js', 'runtime.js', 'metrics.js']) {
    const text = await readFile(join(from, file), 'utf8');
    await writeFile(join(dir, file), text.replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n'));
  }
  return {
    entry: pathToFileURL(join(dir, 'index.js')).href,
    remove: () => rm(dir, { recursive: true }),
  };
}

const median2 = (runs, phase) => median(runs.map(r => r[phase]));
const PHASES = ['import', 'module', 'create', 'listen', 'total'];

async function bootSeries(name, url, token) {
  const base = { PATH: process.env.PATH, NODE_ENV: 'production', BENCH_KEYS: JSON.stringify(keys) };
  const vaultEnv = {
    ...base,
    VAULT_ADDR: url,
    VAULT_TOKEN: token,
    BENCH_SOURCES: JSON.stringify(sources),
  };
  const envOf = mode => (mode === 'plain' ? { ...base, ...values } : vaultEnv);
  const modes = ['plain', 'vault', 'vault-async'];
  for (const mode of modes) await runChild(child, [mode], envOf(mode)); // warm the file cache
  const runs = Object.fromEntries(modes.map(m => [m, []]));
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 ? [...modes].reverse() : modes;
    for (const mode of order) runs[mode].push(await runChild(child, [mode], envOf(mode)));
    progress(
      `${name}: run ${i + 1}/${RUNS}: ` +
        modes.map(m => `${m} ${round(runs[m][i].total)} ms`).join(', '),
    );
  }
  const phases = mode => Object.fromEntries(PHASES.map(p => [p, round(median2(runs[mode], p), 2)]));
  return { plain: phases('plain'), vault: phases('vault'), async: phases('vault-async') };
}

const results = {};
const server = await VaultTestServer.start({ rootToken: 'bench-root' });
try {
  results['test server'] = await bootSeries(
    'test server',
    server.url,
    await seed(server.url, 'bench-root'),
  );
} finally {
  await server.stop();
}
const bao = await findBao();
if (bao) {
  const real = await startBao(bao);
  try {
    results.OpenBao = await bootSeries('OpenBao', real.url, await seed(real.url, 'root'));
  } finally {
    await real.stop();
  }
} else {
  progress('OpenBao: not installed (bash scripts/install-openbao.sh), skipped');
}

// The source maps' cost: the main entry as shipped (a sourceMappingURL comment per bundle), the
// same bundles without the comments (as before maps were shipped), and under --enable-source-maps.
const noMaps = await copyWithoutSourceMaps();
const imports = {
  main: [],
  mainNoMaps: [],
  mainSourceMaps: [],
  mainCjs: [],
  health: [],
  healthAfterMain: [],
};
const importOnce = async (mode, nodeArgs = []) =>
  (
    await runChild(
      child,
      [mode],
      { PATH: process.env.PATH, BENCH_NO_MAPS_ENTRY: noMaps.entry },
      30_000,
      nodeArgs,
    )
  ).import;
try {
  for (let i = 0; i < IMPORT_RUNS; i++) {
    imports.main.push(await importOnce('import-main'));
    imports.mainNoMaps.push(await importOnce('import-main-no-maps'));
    imports.mainSourceMaps.push(await importOnce('import-main', ['--enable-source-maps']));
    imports.mainCjs.push(await importOnce('import-main-cjs'));
    imports.health.push(await importOnce('import-health'));
    imports.healthAfterMain.push(await importOnce('import-health-after-main'));
  }
} finally {
  await noMaps.remove();
}
const importMain = median(imports.main);
const importMainNoMaps = median(imports.mainNoMaps);
const importMainSourceMaps = median(imports.mainSourceMaps);
const importMainCjs = median(imports.mainCjs);
const importHealth = median(imports.health);
const importHealthAfterMain = median(imports.healthAfterMain);
progress(
  `imports: main ${round(importMain, 2)} ms (no maps ${round(importMainNoMaps, 2)}, --enable-source-maps ${round(importMainSourceMaps, 2)}, require ${round(importMainCjs, 2)}), health ${round(importHealth, 2)} ms, health after main ${round(importHealthAfterMain, 2)} ms (medians of ${IMPORT_RUNS})`,
);

const rows = [];
const summary = {};
for (const [server, r] of Object.entries(results)) {
  for (const [label, phases] of [
    ['plain ConfigModule, values in env', r.plain],
    ['VaultConfigModule.forRoot', r.vault],
    ['VaultConfigModule.forRootAsync', r.async],
  ]) {
    rows.push({
      server,
      case: label,
      ...Object.fromEntries(PHASES.map(p => [`${p} ms`, phases[p]])),
      target: '',
    });
  }
  const overhead = round(r.vault.total - r.plain.total, 2);
  const asyncOverhead = round(r.async.total - r.plain.total, 2);
  rows.push({
    server,
    case: 'forRoot overhead',
    'total ms': overhead,
    target: `<= ${TARGET_OVERHEAD_MS} ms: ${verdict(overhead <= TARGET_OVERHEAD_MS)}`,
  });
  rows.push({
    server,
    case: 'forRootAsync overhead',
    'total ms': asyncOverhead,
    target: '(reported)',
  });
  summary[server] = {
    ...r,
    overheadMs: overhead,
    asyncOverheadMs: asyncOverhead,
    pass: overhead <= TARGET_OVERHEAD_MS,
  };
}
rows.push({
  server: '-',
  case: "import('nestjs-vault-config') after Nest core + @nestjs/config",
  'import ms': round(importMain, 2),
  target: `<= ${TARGET_IMPORT_MAIN_MS} ms: ${verdict(importMain <= TARGET_IMPORT_MAIN_MS)}`,
});
rows.push(
  {
    server: '-',
    case: '  the same bundles without their sourceMappingURL comments',
    'import ms': round(importMainNoMaps, 2),
    target: `(reported: maps cost ${round(importMain - importMainNoMaps, 2)} ms when not enabled)`,
  },
  {
    server: '-',
    case: '  as shipped, node --enable-source-maps',
    'import ms': round(importMainSourceMaps, 2),
    target: '(reported: what asking for TypeScript stack traces costs)',
  },
  {
    server: '-',
    case: "require('nestjs-vault-config') (the CommonJS build)",
    'import ms': round(importMainCjs, 2),
    target: `<= ${TARGET_IMPORT_MAIN_MS} ms: ${verdict(importMainCjs <= TARGET_IMPORT_MAIN_MS)}`,
  },
);
rows.push({
  server: '-',
  case: "import('nestjs-vault-config/health') after Terminus",
  'import ms': round(importHealth, 2),
  target: `<= ${TARGET_IMPORT_HEALTH_MS} ms: ${verdict(importHealth <= TARGET_IMPORT_HEALTH_MS)}`,
});
rows.push({
  server: '-',
  case: "import('nestjs-vault-config/health') after Terminus + the main entry",
  'import ms': round(importHealthAfterMain, 2),
  target: '(reported: what an app that imports the module pays)',
});
const columns = ['server', 'case', ...PHASES.map(p => `${p} ms`), 'target'];
printTable(rows.map(r => Object.fromEntries(columns.map(c => [c, r[c] ?? '']))));

const pass =
  Object.values(summary).every(s => s.pass) &&
  importMain <= TARGET_IMPORT_MAIN_MS &&
  importMainCjs <= TARGET_IMPORT_MAIN_MS &&
  importHealth <= TARGET_IMPORT_HEALTH_MS;
console.log(
  JSON.stringify({
    bench: 'startup',
    runs: RUNS,
    importRuns: IMPORT_RUNS,
    servers: summary,
    importMainMs: round(importMain, 2),
    importMainNoMapsMs: round(importMainNoMaps, 2),
    importMainSourceMapsMs: round(importMainSourceMaps, 2),
    importMainCjsMs: round(importMainCjs, 2),
    importHealthMs: round(importHealth, 2),
    importHealthAfterMainMs: round(importHealthAfterMain, 2),
    targets: {
      overheadMs: TARGET_OVERHEAD_MS,
      importMainMs: TARGET_IMPORT_MAIN_MS,
      importHealthMs: TARGET_IMPORT_HEALTH_MS,
    },
    pass,
  }),
);
