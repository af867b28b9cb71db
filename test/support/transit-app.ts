/** A Nest app with VaultConfigModule and TransitService in `providers`, on a least-privilege AppRole. */
import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { VaultConfigModule, type VaultConfigModuleSettings } from 'nestjs-vault-config';
import { TransitService } from 'nestjs-vault-config/transit';
import { rootCall } from './lifecycle-support.js';
import type { VaultTarget } from './vault-target.js';

export interface TransitApp {
  readonly app: INestApplicationContext;
  readonly transit: TransitService;
}

/** What the app's token may do: the transit paths listed, reading its own KV secret, nothing else. */
export function transitPolicy(paths: readonly string[], kvPath: string): string {
  return [
    `path "secret/data/${kvPath}" { capabilities = ["read"] }`,
    ...paths.map(p => `path "transit/${p}" { capabilities = ["update"] }`),
  ].join('\n');
}

/** An AppRole `role` whose tokens carry only `policyHcl` (as policy `<role>-policy`). */
export async function transitAppRole(
  target: VaultTarget,
  role: string,
  policyHcl: string,
): Promise<{ roleId: string; secretId: string; policy: string }> {
  const auths = (await rootCall(target, 'GET', 'sys/auth')) as Record<string, unknown>;
  if (!('approle/' in ((auths.data ?? auths) as Record<string, unknown>))) {
    await rootCall(target, 'POST', 'sys/auth/approle', { type: 'approle' });
  }
  const policy = `${role}-policy`;
  await rootCall(target, 'PUT', `sys/policies/acl/${policy}`, { policy: policyHcl });
  await rootCall(target, 'POST', `auth/approle/role/${role}`, {
    token_policies: [policy],
    token_ttl: '1h',
  });
  const roleId = (await rootCall(target, 'GET', `auth/approle/role/${role}/role-id`))?.data
    ?.role_id as string;
  const secretId = (await rootCall(target, 'POST', `auth/approle/role/${role}/secret-id`, {}))?.data
    ?.secret_id as string;
  return { roleId, secretId, policy };
}

/** Boots the app (no HTTP listener: TransitService is used through DI); the caller closes it. */
export async function bootTransitApp(
  settings: VaultConfigModuleSettings,
  logger: LoggerService,
): Promise<TransitApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [VaultConfigModule.forRoot(settings)],
    providers: [TransitService],
  })
    .setLogger(logger)
    .compile();
  const app = await moduleRef.init();
  return { app, transit: app.get(TransitService) };
}

/** Whatever a call rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
