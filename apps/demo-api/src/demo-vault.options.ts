import type { VaultAuthOptions, VaultConfigOptions } from 'nestjs-vault-config';
import { demoSecretsSchema } from './demo-secrets.schema.js';

/** The demo's AppRole in seed/demo.seed.json (policy `demo-read`: its own paths only). */
export const DEMO_APPROLE = { roleId: 'demo-role-id', secretId: 'demo-secret-id' } as const;

/**
 * Options for the demo's secrets: shared values, then the app's own path for the current
 * environment (`{env}`: DEMO_ENV, else `production` when NODE_ENV says so, else `development`),
 * then an optional KV v1 path. Later sources win. Secrets are re-read every DEMO_REFRESH_MS
 * (default 5 s), so a rotated secret takes effect without a restart; every value is checked by a
 * Zod schema (`demoSecretsSchema`), which also serves `PORT` as a number.
 */
export function demoVaultOptions(env: NodeJS.ProcessEnv, address?: string): VaultConfigOptions {
  return {
    address: address ?? env.VAULT_ADDR,
    auth: demoAuth(env, address !== undefined),
    env: env.DEMO_ENV ?? (env.NODE_ENV === 'production' ? 'production' : 'development'),
    sources: [
      { mount: 'secret', path: 'shared' },
      { mount: 'secret', path: 'apps/demo/{env}' },
      { mount: 'legacy', path: 'demo', required: false },
    ],
    required: ['DATABASE_URL', 'JWT_SECRET', 'API_KEY'],
    defaults: { PORT: 3000, LOG_LEVEL: 'info' },
    schema: demoSecretsSchema,
    refresh: { intervalMs: refreshInterval(env.DEMO_REFRESH_MS) },
  };
}

/** Embedded server: the seeded AppRole. External Vault: AppRole from the environment, else a token. */
function demoAuth(env: NodeJS.ProcessEnv, embedded: boolean): VaultAuthOptions {
  if (embedded) return { method: 'approle', ...DEMO_APPROLE };
  if (env.VAULT_ROLE_ID && env.VAULT_SECRET_ID) {
    return { method: 'approle', roleId: env.VAULT_ROLE_ID, secretId: env.VAULT_SECRET_ID };
  }
  return { method: 'token' };
}

function refreshInterval(raw: string | undefined): number {
  const ms = Number(raw);
  return Number.isInteger(ms) && ms >= 50 ? ms : 5000;
}
