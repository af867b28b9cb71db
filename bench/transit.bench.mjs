// npm run bench:transit — import cost of the `nestjs-vault-config/transit` subpath: each import in a
// fresh node process after Nest core is loaded, alternating modes; medians. Needs `npm run build`.
import { fileURLToPath, URL } from 'node:url';
import { median, printTable, round, runChild } from './bench-support.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const child = fileURLToPath(new URL('./transit.child.mjs', import.meta.url));
const env = { PATH: process.env.PATH, NODE_ENV: 'production' };
const MODES = {
  main: "import('nestjs-vault-config')",
  transit: "import('nestjs-vault-config/transit') alone",
  'transit-after-main': "import('nestjs-vault-config/transit') after the main entry",
};

for (const mode of Object.keys(MODES)) await runChild(child, [mode], env); // warm the file cache
const times = Object.fromEntries(Object.keys(MODES).map(m => [m, []]));
for (let i = 0; i < RUNS; i++) {
  for (const mode of Object.keys(MODES)) times[mode].push((await runChild(child, [mode], env)).ms);
}
printTable(
  Object.entries(MODES).map(([mode, label]) => ({
    case: label,
    'median ms': round(median(times[mode])),
    'min ms': round(Math.min(...times[mode])),
    runs: RUNS,
  })),
);
