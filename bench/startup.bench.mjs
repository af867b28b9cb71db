// npm run bench:startup — boot cost of VaultConfigModule vs plain ConfigModule with the values in env.
// A Nest app reading 20 secrets over 5 paths from the in-memory Vault test server (started here,
// outside the timed processes) vs the same app with ConfigModule and the 20 values in env.
// Each boot is a fresh node process; alternating boots; medians. Needs `npm run build` first.
import { fileURLToPath, URL } from 'node:url';
import { VaultTestServer } from 'nestjs-vault-config-testing';
import { median, printTable, round, runChild } from './bench-support.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const IMPORT_RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 11);
const child = fileURLToPath(new URL('./startup.child.mjs', import.meta.url));

const PATHS = 5;
const PER_PATH = 4;
const secrets = {};
const values = {};
const sources = [];
for (let p = 0; p < PATHS; p++) {
  const data = {};
  for (let k = 0; k < PER_PATH; k++) {
    const key = `BENCH_SECRET_${p}_${k}`;
    data[key] = values[key] = `value-${p}-${k}-${'x'.repeat(24)}`;
  }
  secrets[`secret/bench/app/path-${p}`] = data;
  sources.push({ mount: 'secret', path: `bench/app/path-${p}` });
}
const keys = Object.keys(values);

const server = await VaultTestServer.start({
  rootToken: 'bench-root',
  seed: {
    policies: { bench: 'path "secret/data/bench/*" {\n  capabilities = ["read"]\n}\n' },
    tokens: [{ id: 'bench-token', policies: ['bench'], ttl: '1h' }],
    secrets,
  },
});

const base = { PATH: process.env.PATH, NODE_ENV: 'production', BENCH_KEYS: JSON.stringify(keys) };
const vaultEnv = {
  ...base,
  VAULT_ADDR: server.url,
  VAULT_TOKEN: 'bench-token',
  BENCH_SOURCES: JSON.stringify(sources),
};
const plainEnv = { ...base, ...values };

try {
  // One warm-up of each to settle the OS file cache; not counted.
  await runChild(child, ['plain'], plainEnv);
  await runChild(child, ['vault'], vaultEnv);
  server.resetStats();
  const boot = { vault: [], plain: [] };
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 ? ['plain', 'vault'] : ['vault', 'plain'];
    for (const mode of order) {
      boot[mode].push((await runChild(child, [mode], mode === 'vault' ? vaultEnv : plainEnv)).ms);
    }
  }
  const requestsPerBoot = server.stats().total / RUNS;
  const imports = { lib: [], config: [] };
  for (let i = 0; i < IMPORT_RUNS; i++) {
    imports.lib.push((await runChild(child, ['import-lib'], base)).ms);
    imports.config.push((await runChild(child, ['import-config'], base)).ms);
  }

  const plain = median(boot.plain);
  const vault = median(boot.vault);
  const importLib = median(imports.lib);
  const importConfig = median(imports.config);
  printTable([
    { case: 'plain ConfigModule, 20 values in env', 'median ms': round(plain), runs: RUNS },
    { case: 'VaultConfigModule, 20 secrets / 5 paths', 'median ms': round(vault), runs: RUNS },
    { case: 'overhead (target <= 10 ms)', 'median ms': round(vault - plain), runs: '' },
    {
      case: "import('@nestjs/config') after Nest core",
      'median ms': round(importConfig),
      runs: IMPORT_RUNS,
    },
    {
      case: "import('nestjs-vault-config') after Nest core",
      'median ms': round(importLib),
      runs: IMPORT_RUNS,
    },
    {
      case: 'nestjs-vault-config own import cost',
      'median ms': round(importLib - importConfig),
      runs: '',
    },
  ]);
  console.log(`Vault requests per boot: ${round(requestsPerBoot, 2)}`);
  console.log(
    JSON.stringify({
      bench: 'startup',
      runs: RUNS,
      plainMedianMs: round(plain, 2),
      vaultMedianMs: round(vault, 2),
      overheadMs: round(vault - plain, 2),
      targetMs: 10,
      pass: vault - plain <= 10,
      requestsPerBoot,
      importConfigMs: round(importConfig, 2),
      importLibMs: round(importLib, 2),
      libOwnImportMs: round(importLib - importConfig, 2),
    }),
  );
} finally {
  await server.stop();
}
