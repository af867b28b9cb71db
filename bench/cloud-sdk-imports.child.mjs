// One fresh process: imports the modules named on the command line together, prints the wall time
// and the CPU time (user + system) the import took; CPU time is what a busy machine distorts least.
// The ESM loader's own start-up is not the SDK's cost: warm it with a built-in first.
await import('node:os');
const start = performance.now();
const cpu = process.cpuUsage();
await Promise.all(process.argv.slice(2).map(m => import(m)));
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({ ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 }),
);
