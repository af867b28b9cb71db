import { VaultConfigError } from './vault-config.error.js';

export interface MissingSecret {
  key: string;
  /** e.g. `secret/apps/billing/dev (kv2)`, `env DATABASE_URL|DB_URL`. */
  lookedIn: string[];
}

export interface InvalidSecret {
  key: string;
  /** class-validator constraint names, e.g. `isUrl` — never the value or its message. */
  constraints: string[];
}

/** One error for every required key that is missing and every schema violation, never values. */
export class MissingSecretsError extends VaultConfigError {
  readonly missing: MissingSecret[];
  readonly invalid: InvalidSecret[];

  constructor(missing: MissingSecret[], invalid: InvalidSecret[] = []) {
    const parts: string[] = [];
    if (missing.length) {
      parts.push(
        `${missing.length} required secret(s) missing: ` +
          missing.map(m => `${m.key} (looked in ${m.lookedIn.join(', ') || 'nothing'})`).join('; '),
      );
    }
    if (invalid.length) {
      parts.push(
        `${invalid.length} secret(s) failed validation: ` +
          invalid.map(i => `${i.key} (${i.constraints.join(', ')})`).join('; '),
      );
    }
    super(
      `${parts.join('. ')}. Add them to Vault, to the environment, or to defaults.`,
      'VAULT_MISSING_SECRETS',
    );
    this.missing = missing;
    this.invalid = invalid;
  }
}
