// One measurement in a fresh process, after Nest core is loaded. argv[2]: 'transit' (the subpath
// alone), 'transit-after-main' (the main entry first, untimed), or 'main' (the main entry alone).
// Prints one JSON line: { ms } for the timed import.
import { performance } from 'node:perf_hooks';
import 'reflect-metadata';
import '@nestjs/common';
import '@nestjs/core';

const mode = process.argv[2];
if (mode === 'transit-after-main') await import('nestjs-vault-config');
const t0 = performance.now();
await import(mode === 'main' ? 'nestjs-vault-config' : 'nestjs-vault-config/transit');
console.log(JSON.stringify({ ms: performance.now() - t0 }));
