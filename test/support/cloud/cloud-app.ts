/** Booting a Nest app with a cloud login, and catching the error of one that cannot log in. */
import type { INestApplication } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { VaultConfigModule, type VaultConfigModuleSettings } from 'nestjs-vault-config';
import { bootHealthApp } from '../health-app.js';
import type { CapturingLogger } from '../module-support.js';

/** A Nest app with VaultConfigModule (and /health); the caller closes it. */
export function bootCloudApp(
  settings: VaultConfigModuleSettings,
  logger: CapturingLogger,
): Promise<INestApplication> {
  return bootHealthApp({ healthCacheMs: 100, retry: { attempts: 1 }, ...settings }, logger);
}

/** What Nest's bootstrap rejects with when the module cannot start. */
export async function bootError(
  settings: VaultConfigModuleSettings,
  logger: CapturingLogger,
): Promise<unknown> {
  @Module({ imports: [VaultConfigModule.forRoot({ retry: { attempts: 1 }, ...settings })] })
  class AppModule {}
  return Test.createTestingModule({ imports: [AppModule] })
    .setLogger(logger)
    .compile()
    .then(
      async m => {
        await m.close();
        return undefined;
      },
      (e: unknown) => e,
    );
}

/** The Vault side of a cloud suite: a KV secret and a policy that reads it. */
export const READ_POLICY = (prefix: string) =>
  `path "secret/data/${prefix}/*" { capabilities = ["read"] }\n`;
