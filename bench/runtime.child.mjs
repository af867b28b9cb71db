// The heap part of bench:runtime, in a fresh process started with --expose-gc: boots
// VaultConfigModule with 10,000 secrets over 100 paths (VAULT_ADDR / VAULT_TOKEN), and the same app
// with Vault disabled; prints the difference of the heaps retained after a full GC.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SecretsService, VaultConfigModule } from 'nestjs-vault-config';

const gc = globalThis.gc;
if (typeof gc !== 'function') throw new Error('run with --expose-gc');
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

async function boot(options) {
  class AppModule {}
  Module({ imports: [VaultConfigModule.forRoot(options)] })(AppModule);
  return NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
}

const sources = Array.from({ length: 100 }, (_, p) => ({
  mount: 'secret',
  path: `heap/path-${p}`,
}));
const empty = await boot({ enabled: false });
const base = heap();
const full = await boot({ sources });
const keys = full.get(SecretsService).keys().length;
if (keys !== 10_000) throw new Error(`expected 10000 keys, got ${keys}`);
const loaded = heap();
await full.close();
await empty.close();
console.log(JSON.stringify({ retainedBytes: loaded - base, keys }));
