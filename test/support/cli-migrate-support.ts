/** Shared set-up of the cli-migrate*.e2e-spec.ts suites: planted secrets, backups, a rich .env. */
import { readdirSync } from 'node:fs';
import { canary } from './canary.js';
import { plantedInCliOutput } from './cli-support.js';

/**
 * Registers the suite's canary scan (see plantedInCliOutput) and returns `secret(label)`, a canary
 * value that is planted, plus the list to push planted tokens to.
 */
export function plantedMigrateSecrets(): {
  secret: (label: string) => string;
  tokens: string[];
} {
  const { canaries, tokens } = plantedInCliOutput();
  const secret = (label: string) => {
    const value = canary(label);
    canaries.push(value);
    return value;
  };
  return { secret, tokens };
}

/** The `.env.backup.*` files migrate --sanitize left in `dir`. */
export const backupsIn = (dir: string) =>
  readdirSync(dir).filter(n => n.startsWith('.env.backup.'));

/** A .env exercising what dotenv reads: comments, export, quotes, multi-line, placeholders. */
export function envFile(values: { db: string; jwt: string; multi: string; api: string }): string {
  return (
    '# Billing service, dev\n' +
    `export DATABASE_URL = "${values.db}"  # primary\n` +
    '\n' +
    `JWT_SECRET=${values.jwt}\n` +
    `PEM='-----BEGIN-----\n${values.multi}\n-----END-----'\n` +
    'REDIS_URL=[VAULT]\n' +
    'EMPTY=\n' +
    `API_KEY: ${values.api} # from the vendor portal\n`
  );
}
