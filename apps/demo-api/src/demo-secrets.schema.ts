import type { SecretsOf } from 'nestjs-vault-config';
import { z } from 'zod';

/**
 * The demo's secrets as a Zod schema (any Standard Schema works: Valibot, ArkType, ...). Checked at
 * boot and on every refresh (a rotation that breaks it is refused, the last good values stay);
 * `PORT` is served as a number. A failure names the key and the rule, never the value.
 */
export const demoSecretsSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  JWT_SECRET: z.string().min(16),
  API_KEY: z.string().min(1),
  PORT: z.coerce.number().int().min(1).max(65535),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']),
});

/** `SecretsService<DemoSecrets>`: `get('PORT')` is a `number | undefined`. */
export type DemoSecrets = SecretsOf<typeof demoSecretsSchema>;
