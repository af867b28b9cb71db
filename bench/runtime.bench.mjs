// npm run bench:runtime — the steady state of an app on VaultConfigModule: reads per second of
// SecretsService.get and ConfigService.get against a plain @nestjs/config ConfigService holding the
// same values; the heap retained by 10,000 secrets over 100 paths (a fresh process, --expose-gc);
// and a refresh of 50 unchanged paths (no snapshot swap, no event). Needs `npm run build` first.
import { performance } from 'node:perf_hooks';
import { fileURLToPath, URL } from 'node:url';
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { SecretsService, VaultConfigModule } from 'nestjs-vault-config';
import { VaultTestServer } from 'nestjs-vault-config-testing';
import { median, printTable, round, runChild, vaultCall, verdict } from './bench-support.mjs';

const READS = Number(process.env.BENCH_READS ?? 2_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_READ_RATIO = 1.0;
const TARGET_HEAP_MB = 10;
const progress = line => process.stderr.write(`${line}\n`);
const child = fileURLToPath(new URL('./runtime.child.mjs', import.meta.url));

const server = await VaultTestServer.start({ rootToken: 'root' });
const keys = Array.from({ length: 50 }, (_, i) => `RUNTIME_KEY_${i}`);
const values = Object.fromEntries(keys.map(k => [k, `value-of-${k}-${'x'.repeat(20)}`]));

async function boot(imports) {
  class AppModule {}
  Module({ imports })(AppModule);
  return NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
}

/** Reads per second of `get` over every key, best of RUNS. */
function readRate(get) {
  const rates = [];
  for (let r = 0; r < RUNS; r++) {
    let sink = 0;
    const t0 = performance.now();
    for (let i = 0; i < READS; i++) sink += get(keys[i % keys.length]).length;
    const ms = performance.now() - t0;
    if (sink === 0) throw new Error('nothing read');
    rates.push(READS / (ms / 1000));
  }
  return Math.max(...rates);
}

const rows = [];
let vault;
let plain;
try {
  const data = Object.fromEntries(keys.map(k => [k, values[k]]));
  for (let p = 0; p < 50; p++) {
    await vaultCall(server.url, 'POST', `secret/data/runtime/path-${p}`, {
      data: p === 0 ? data : { [`P${p}`]: 'v' },
    });
  }
  const sources = Array.from({ length: 50 }, (_, p) => ({
    mount: 'secret',
    path: `runtime/path-${p}`,
  }));
  vault = await boot([
    VaultConfigModule.forRoot({
      address: server.url,
      auth: { method: 'token', token: 'root' },
      sources,
    }),
  ]);
  plain = await boot([ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => values] })]);
  const plainConfig = plain.get(ConfigService);
  const vaultConfig = vault.get(ConfigService);
  const secrets = vault.get(SecretsService);

  const plainRate = readRate(k => plainConfig.get(k));
  progress(`plain ConfigService.get: ${round(plainRate / 1e6, 2)} M/s`);
  const configRate = readRate(k => vaultConfig.get(k));
  progress(`VaultConfigModule ConfigService.get: ${round(configRate / 1e6, 2)} M/s`);
  const secretsRate = readRate(k => secrets.get(k));
  progress(`SecretsService.get: ${round(secretsRate / 1e6, 2)} M/s`);
  for (const [label, rate] of [
    ['plain ConfigService.get (ConfigModule, load)', plainRate],
    ['ConfigService.get (VaultConfigModule)', configRate],
    ['SecretsService.get', secretsRate],
  ]) {
    const ratio = rate / plainRate;
    rows.push({
      case: label,
      value: `${round(rate / 1e6, 2)} M reads/s`,
      ratio: `${round(ratio, 2)}x`,
      target: label.startsWith('plain')
        ? ''
        : `>= ${TARGET_READ_RATIO}x: ${verdict(ratio >= TARGET_READ_RATIO)}`,
    });
  }

  // A refresh of 50 unchanged paths: no swap (the same snapshot object), no event.
  const events = [];
  secrets.onSecretsChanged(e => events.push(e));
  const before = secrets.snapshot;
  const durations = [];
  for (let r = 0; r < RUNS; r++) durations.push((await secrets.refresh()).durationMs);
  const swapped = secrets.snapshot !== before;
  progress(
    `refresh of 50 unchanged paths: ${round(median(durations), 1)} ms, swapped ${swapped}, events ${events.length}`,
  );
  rows.push({
    case: 'refresh of 50 unchanged paths',
    value: `${round(median(durations), 1)} ms`,
    ratio: '',
    target: `no swap, no event: ${verdict(!swapped && events.length === 0)}`,
  });

  // Heap: a fresh process boots the module with 10,000 secrets over 100 paths (and once without).
  for (let p = 0; p < 100; p++) {
    const many = Object.fromEntries(
      Array.from({ length: 100 }, (_, k) => [
        `HEAP_${p}_${k}`,
        `secret-value-${p}-${k}-${'y'.repeat(24)}`,
      ]),
    );
    await vaultCall(server.url, 'POST', `secret/data/heap/path-${p}`, { data: many });
  }
  const env = { PATH: process.env.PATH, VAULT_ADDR: server.url, VAULT_TOKEN: 'root' };
  const heaps = [];
  for (let r = 0; r < 3; r++) heaps.push(await runChild(child, [], env, 60_000, ['--expose-gc']));
  const retainedMb = median(heaps.map(h => h.retainedBytes)) / 1024 / 1024;
  progress(
    `heap retained by 10,000 secrets: ${round(retainedMb, 2)} MB (medians of ${heaps.length})`,
  );
  rows.push({
    case: 'heap retained by 10,000 secrets over 100 paths',
    value: `${round(retainedMb, 2)} MB`,
    ratio: '',
    target: `<= ${TARGET_HEAP_MB} MB: ${verdict(retainedMb <= TARGET_HEAP_MB)}`,
  });

  printTable(rows);
  const pass =
    configRate / plainRate >= TARGET_READ_RATIO &&
    secretsRate / plainRate >= TARGET_READ_RATIO &&
    retainedMb <= TARGET_HEAP_MB &&
    !swapped &&
    events.length === 0;
  console.log(
    JSON.stringify({
      bench: 'runtime',
      reads: READS,
      runs: RUNS,
      plainReadsPerS: Math.round(plainRate),
      configReadsPerS: Math.round(configRate),
      secretsReadsPerS: Math.round(secretsRate),
      configRatio: round(configRate / plainRate, 3),
      secretsRatio: round(secretsRate / plainRate, 3),
      refreshUnchangedMs: round(median(durations), 2),
      refreshSwapped: swapped,
      refreshEvents: events.length,
      heapRetainedMb: round(retainedMb, 3),
      targets: { readRatio: TARGET_READ_RATIO, heapMb: TARGET_HEAP_MB },
      pass,
    }),
  );
} finally {
  await vault?.close();
  await plain?.close();
  await server.stop();
}
