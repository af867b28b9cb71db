#!/usr/bin/env node
// The registry mirror on our build machines does not serve other platforms' optional native
// bindings (e.g. @unrs/resolver-binding-darwin-arm64 answers 404), so `npm install` leaves them out
// of package-lock.json and `npm ci` then rejects the lock as out of sync. This adds the missing
// entries with the os/cpu/libc their names declare: npm skips them on other platforms and resolves
// them from the public registry where they apply. Run after any `npm install`: node scripts/fill-lockfile-platforms.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const OS = [
  'android',
  'darwin',
  'freebsd',
  'linux',
  'openharmony',
  'win32',
  'netbsd',
  'openbsd',
  'sunos',
  'aix',
];
const CPU = ['arm64', 'arm', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find(p => OS.includes(p));
  const cpu = parts.find(p => CPU.includes(p));
  if (!os || !cpu) return undefined;
  const libc = parts.some(p => p.startsWith('musl'))
    ? 'musl'
    : parts.some(p => p.startsWith('gnu'))
      ? 'glibc'
      : undefined;
  return { os, cpu, libc };
}

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const added = [];
const unknown = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    const nested = `${path ? `${path}/` : ''}node_modules/${dep}`;
    if (lock.packages[key] || lock.packages[nested]) continue;
    const platform = platformOf(dep);
    if (!platform) {
      unknown.push(dep);
      continue;
    }
    lock.packages[key] = {
      version,
      cpu: [platform.cpu],
      ...(entry.dev ? { dev: true } : {}),
      ...(platform.libc ? { libc: [platform.libc] } : {}),
      optional: true,
      os: [platform.os],
    };
    added.push(dep);
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a.localeCompare(b),
  ),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(
  `fill-lockfile-platforms: added ${added.length} entries${added.length ? `: ${added.join(', ')}` : ''}`,
);
if (unknown.length) {
  console.error(`fill-lockfile-platforms: cannot infer the platform of: ${unknown.join(', ')}`);
  process.exit(1);
}
