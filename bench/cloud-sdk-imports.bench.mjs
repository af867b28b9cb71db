// npm run bench:cloud-sdks — what the cloud auth methods cost when they are used: the import of
// each optional SDK in a fresh node process (medians of BENCH_RUNS), and what the main entry
// costs without them (the SDKs are imported only by the login of their method).
// Each measurement: `await import(...)` in a new process, wall time (performance.now()) and CPU
// time (process.cpuUsage()); on a shared machine the CPU time is the steadier of the two.
import { fileURLToPath } from 'node:url';
import { median, printTable, round, runChild } from './bench-support.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const child = fileURLToPath(new URL('./cloud-sdk-imports.child.mjs', import.meta.url));

const cases = [
  {
    method: 'aws',
    what: '@aws-sdk/credential-providers',
    modules: ['@aws-sdk/credential-providers'],
  },
  {
    method: 'aws',
    what: '@smithy/signature-v4 + @aws-crypto/sha256-js',
    modules: ['@smithy/signature-v4', '@aws-crypto/sha256-js'],
  },
  {
    method: 'aws',
    what: 'all three (what the aws login loads)',
    modules: ['@aws-sdk/credential-providers', '@smithy/signature-v4', '@aws-crypto/sha256-js'],
  },
  { method: 'gcp', what: 'google-auth-library', modules: ['google-auth-library'] },
  { method: 'azure', what: 'node:https (no SDK)', modules: ['node:https'] },
];

const env = { PATH: process.env.PATH, NODE_ENV: 'production' };
const rows = [];
for (const c of cases) {
  const wall = [];
  const cpu = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await runChild(child, c.modules, env);
    wall.push(r.ms);
    cpu.push(r.cpuMs);
  }
  rows.push({
    method: c.method,
    import: c.what,
    'wall ms (median)': round(median(wall)),
    'cpu ms (median)': round(median(cpu)),
    'wall ms (runs)': wall.map(r => round(r, 0)).join(', '),
  });
}
printTable(rows);
console.log(
  JSON.stringify({ bench: 'cloud-sdk-imports', node: process.version, runs: RUNS, rows }),
);
