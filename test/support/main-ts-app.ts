/** An app booted the way docs/setup.md's `main.ts` boots it, for test/e2e/main-ts-setups. */
import { Module, type INestApplication, type ModuleMetadata } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { SecretsService } from 'nestjs-vault-config';

/** What an app module imports (`ConfigModule.forRoot` gives a promise of a dynamic module). */
export type Imports = NonNullable<ModuleMetadata['imports']>;

/** Providers of the app module: what they were given for PORT and MAIN_TS_SECRET. */
export const READ_PORT = 'MAIN_TS_READ_PORT';
export const READ_SECRET = 'MAIN_TS_READ_SECRET';

const readers = {
  port: {
    provide: READ_PORT,
    useFactory: (config: ConfigService) => config.get<string>('PORT'),
    inject: [ConfigService],
  },
  secret: {
    provide: READ_SECRET,
    useFactory: (secrets: SecretsService) => secrets.get('MAIN_TS_SECRET'),
    inject: [SecretsService],
  },
};

/**
 * `NestFactory.create(AppModule)` + `init()` (everything but `listen`), where AppModule imports
 * `imports` and provides the readers (`secrets: false` leaves out the SecretsService one).
 */
export async function bootApp(
  imports: Imports,
  { secrets = true }: { secrets?: boolean } = {},
): Promise<INestApplication> {
  @Module({ imports, providers: secrets ? [readers.port, readers.secret] : [readers.port] })
  class AppModule {}
  const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
  await app.init();
  return app;
}
