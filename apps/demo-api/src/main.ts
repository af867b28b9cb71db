import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { VaultTestServer } from 'nestjs-vault-config-testing';
import { AppModule } from './app.module.js';
import { demoVaultOptions } from './demo-vault.options.js';

const DEFAULT_SEED = fileURLToPath(new URL('../../../seed/demo.seed.json', import.meta.url));

/**
 * `npm start`: without VAULT_ADDR, starts the in-memory Vault test server seeded with
 * seed/demo.seed.json and logs in with the demo AppRole; with VAULT_ADDR, uses that Vault.
 */
async function bootstrap(): Promise<void> {
  const logger = new Logger('DemoApi');
  let embedded: VaultTestServer | undefined;
  if (!process.env.VAULT_ADDR) {
    const seed = process.env.DEMO_SEED ?? DEFAULT_SEED;
    embedded = await VaultTestServer.start({ seed });
    logger.log(`Embedded Vault test server listening on ${embedded.url} (seed ${seed})`);
  }
  const stopEmbedded = async () => {
    const server = embedded;
    embedded = undefined;
    await server?.stop();
  };
  try {
    const app = await NestFactory.create(
      AppModule.register({
        vault: demoVaultOptions(process.env, embedded?.url),
        onShutdown: stopEmbedded,
      }),
      { abortOnError: false },
    );
    app.enableShutdownHooks();
    const port = Number(app.get(ConfigService).get('PORT') ?? 3000);
    const host = process.env.HOST ?? '127.0.0.1';
    await app.listen(port, host);
    logger.log(`Demo API on ${await app.getUrl()}: GET /health, GET /config, POST /token`);
  } catch (err) {
    await stopEmbedded();
    logger.error(err instanceof Error ? `${err.name}: ${err.message}` : 'Startup failed');
    process.exitCode = 1;
  }
}

void bootstrap();
