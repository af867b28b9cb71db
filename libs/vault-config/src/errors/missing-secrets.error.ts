import { describeInvalidSecret, type InvalidSecret } from './invalid-secrets.error.js';
import { VaultConfigError } from './vault-config.error.js';

// Kept here too: `InvalidSecret` was first exported from this module.
export type { InvalidSecret } from './invalid-secrets.error.js';

export interface MissingSecret {
  key: string;
  /** e.g. `secret/apps/billing/dev (kv2)`, `env DATABASE_URL|DB_URL`. */
  lookedIn: string[];
  /**
   * The environment variable that holds the `[VAULT]` placeholder `vault-config migrate` left for
   * this key: the value was moved to Vault, but no Vault source provided it.
   */
  placeholderIn?: string;
}

/**
 * Required keys that no source, variable or default provided. When schema violations were found in
 * the same load they are listed too (`invalid`), so one start shows every problem; a load whose keys
 * are all present but invalid throws `InvalidSecretsError` instead. Never values.
 */
export class MissingSecretsError extends VaultConfigError {
  readonly missing: MissingSecret[];
  readonly invalid: InvalidSecret[];

  constructor(missing: MissingSecret[], invalid: InvalidSecret[] = []) {
    let message =
      `${missing.length} required secret(s) missing: ${missing.map(describeMissing).join('; ')}. ` +
      'Add them to Vault, to the environment, or to defaults.';
    if (invalid.length) {
      message +=
        ` Also, ${invalid.length} secret(s) failed schema validation: ` +
        `${invalid.map(describeInvalidSecret).join('; ')}. Fix those values where they come from.`;
    }
    super(message, 'VAULT_MISSING_SECRETS');
    this.missing = missing;
    this.invalid = invalid;
  }
}

function describeMissing(m: MissingSecret): string {
  const looked = `${m.key} (looked in ${m.lookedIn.join(', ') || 'nothing'})`;
  if (!m.placeholderIn) return looked;
  const vaultSources = m.lookedIn.filter(place => !place.startsWith('env '));
  const where = vaultSources.length
    ? `so the value must be in a Vault source listed: ${vaultSources.join(', ')}`
    : `but no Vault source can provide ${m.key}: add it to a source, or set a real value`;
  return `${looked}: env ${m.placeholderIn} holds the [VAULT] placeholder left by vault-config migrate, ${where}`;
}
