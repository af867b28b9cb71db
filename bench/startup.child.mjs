// One boot of the bench app in a fresh process. argv[2]: 'vault' | 'plain' | 'import-lib' | 'import-config'.
// Prints one JSON line: { ms } measured from after Nest core is loaded to `listen` resolved.
import { performance } from 'node:perf_hooks';
import 'reflect-metadata';
import { Controller, Get, Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import '@nestjs/platform-express';

const mode = process.argv[2];
const KEYS = JSON.parse(process.env.BENCH_KEYS ?? '[]');
const t0 = performance.now();

if (mode === 'import-lib' || mode === 'import-config') {
  await import(mode === 'import-lib' ? 'nestjs-vault-config' : '@nestjs/config');
  console.log(JSON.stringify({ ms: performance.now() - t0 }));
  process.exit(0);
}

const configImport =
  mode === 'vault'
    ? (await import('nestjs-vault-config')).VaultConfigModule.forRoot({
        sources: JSON.parse(process.env.BENCH_SOURCES ?? '[]'),
        required: KEYS,
      })
    : (await import('@nestjs/config')).ConfigModule.forRoot({ ignoreEnvFile: true });
const { ConfigService } = await import('@nestjs/config');

class Settings {
  constructor(config) {
    this.values = KEYS.map(k => config.get(k));
    if (this.values.some(v => v === undefined)) throw new Error('a bench key was not loaded');
  }
}
Injectable()(Settings);
Inject(ConfigService)(Settings, undefined, 0);

class PingController {
  constructor(settings) {
    this.settings = settings;
  }
  ping() {
    return { keys: this.settings.values.length };
  }
}
Controller('ping')(PingController);
Inject(Settings)(PingController, undefined, 0);
Get()(
  PingController.prototype,
  'ping',
  Object.getOwnPropertyDescriptor(PingController.prototype, 'ping'),
);

class AppModule {}
Module({ imports: [configImport], controllers: [PingController], providers: [Settings] })(
  AppModule,
);

const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
await app.listen(0, '127.0.0.1');
const ms = performance.now() - t0;
await app.close();
console.log(JSON.stringify({ ms }));
