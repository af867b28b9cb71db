// One boot of the bench app in a fresh process. argv[2]: 'plain' | 'vault' | 'vault-async' |
// 'import-main' | 'import-main-cjs' | 'import-main-no-maps' | 'import-health' | 'import-health-after-main'
// (under --enable-source-maps when the parent passes it). Prints one JSON line of phase times in ms, measured from after
// Nest core is loaded: import (the config package), module (defining the app module: forRoot is
// called), create (NestFactory.create), listen (app.listen resolved); total = all of them.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import 'reflect-metadata';
import { Controller, Get, Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import '@nestjs/platform-express';

const mode = process.argv[2];
const KEYS = JSON.parse(process.env.BENCH_KEYS ?? '[]');

if (mode.startsWith('import-')) {
  // The package's own cost: what an app already loads (Nest core, @nestjs/config, Terminus) first.
  await import('@nestjs/config');
  if (!mode.startsWith('import-main')) await import('@nestjs/terminus');
  if (mode === 'import-health-after-main') await import('nestjs-vault-config');
  const t = performance.now();
  if (mode === 'import-main-cjs') createRequire(import.meta.url)('nestjs-vault-config');
  else if (mode === 'import-main-no-maps') await import(process.env.BENCH_NO_MAPS_ENTRY);
  else
    await import(
      mode.startsWith('import-main') ? 'nestjs-vault-config' : 'nestjs-vault-config/health'
    );
  console.log(JSON.stringify({ import: performance.now() - t }));
  process.exit(0);
}

const t0 = performance.now();
const lib = mode === 'plain' ? await import('@nestjs/config') : await import('nestjs-vault-config');
const t1 = performance.now();

const options = { sources: JSON.parse(process.env.BENCH_SOURCES ?? '[]'), required: KEYS };
const configImport =
  mode === 'plain'
    ? lib.ConfigModule.forRoot({ ignoreEnvFile: true })
    : mode === 'vault'
      ? lib.VaultConfigModule.forRoot(options)
      : lib.VaultConfigModule.forRootAsync({ useFactory: () => options });
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
const t2 = performance.now();

const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
const t3 = performance.now();
await app.listen(0, '127.0.0.1');
const t4 = performance.now();
await app.close();
console.log(
  JSON.stringify({
    import: t1 - t0,
    module: t2 - t1,
    create: t3 - t2,
    listen: t4 - t3,
    total: t4 - t0,
  }),
);
