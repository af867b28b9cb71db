// node bench/startup-profile.mjs — where a VaultConfigModule boot spends its time, next to the same
// app on plain @nestjs/config: CPU profiles (--cpu-prof) of 3 fresh boots of each
// (bench/startup.child.mjs, the bench:startup app), self time per file and per function, the
// difference vault − plain, per boot. "(idle)" is time the main thread waited (I/O, Vault's
// answers). A tool for the boot-path work, not a benchmark: profiling slows both sides.
// Needs `npm run build` first.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VaultTestServer } from 'nestjs-vault-config-testing';
import { runChild, vaultCall } from './bench-support.mjs';

const BOOTS = 3;
const child = join(import.meta.dirname, 'startup.child.mjs');
const server = await VaultTestServer.start({ rootToken: 'profile-root' });
const sources = [];
const values = {};
for (let p = 0; p < 5; p++) {
  const data = {};
  for (let k = 0; k < 4; k++) data[`PROFILE_${p}_${k}`] = `value-${p}-${k}-${'x'.repeat(24)}`;
  await vaultCall(server.url, 'POST', `secret/data/profile/p${p}`, { data }, 'profile-root');
  sources.push({ mount: 'secret', path: `profile/p${p}` });
  Object.assign(values, data);
}
const base = {
  PATH: process.env.PATH,
  NODE_ENV: 'production',
  BENCH_KEYS: JSON.stringify(Object.keys(values)),
};
const envs = {
  plain: { ...base, ...values },
  vault: {
    ...base,
    VAULT_ADDR: server.url,
    VAULT_TOKEN: 'profile-root',
    BENCH_SOURCES: JSON.stringify(sources),
  },
};

const profiles = {};
try {
  for (const mode of ['plain', 'vault']) {
    const dir = mkdtempSync(join(tmpdir(), `startup-profile-${mode}-`));
    const args = ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100'];
    for (let i = 0; i < BOOTS; i++) {
      const phases = await runChild(child, [mode], envs[mode], 30_000, args);
      process.stderr.write(`${mode}: create ${phases.create.toFixed(1)} ms\n`);
    }
    profiles[mode] = selfTimes(dir);
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  await server.stop();
}

for (const by of ['file', 'function']) {
  const rows = difference(profiles.vault[by], profiles.plain[by]).slice(0, 20);
  console.log(`\nself time per boot, vault − plain, by ${by}`);
  for (const [name, ms] of rows) console.log(`${ms.toFixed(2).padStart(8)} ms  ${name}`);
}

/** Self time (ms per boot) by file and by function over the profiles in `dir`. */
function selfTimes(dir) {
  const file = new Map();
  const fn = new Map();
  const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms / BOOTS);
  for (const name of readdirSync(dir)) {
    const profile = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    const nodes = new Map(profile.nodes.map(n => [n.id, n.callFrame]));
    profile.samples.forEach((id, i) => {
      const frame = nodes.get(id);
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      const url = (frame.url || '(native)')
        .replace(/^.*node_modules\//, '')
        .replace(/^.*\/libs\//, 'libs/');
      add(file, url, ms);
      add(fn, `${frame.functionName || '(anonymous)'} ${url}:${frame.lineNumber + 1}`, ms);
    });
  }
  return { file, function: fn };
}

function difference(a, b) {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].map(k => [k, (a.get(k) ?? 0) - (b.get(k) ?? 0)]).sort((x, y) => y[1] - x[1]);
}
