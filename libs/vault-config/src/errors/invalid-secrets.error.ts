import { VaultConfigError } from './vault-config.error.js';

/** A key whose value failed the `schema`: the rules it broke and where the value came from. */
export interface InvalidSecret {
  key: string;
  /**
   * class-validator constraint names, e.g. `isUrl` — never the value or its message. For a Standard
   * Schema: each issue's message with anything quoting the value cut, else its code (`invalid_format(url)`).
   */
  constraints: string[];
  /**
   * Where the rejected value came from: a Vault path (`secret/apps/billing/prod`, with its KV
   * version when known), `env DATABASE_URL` or `defaults`. Set by every load of the library.
   */
  source?: string;
}

/** `DATABASE_URL failed isString, matches (value from secret/apps/billing/prod)`. */
export function describeInvalidSecret(invalid: InvalidSecret): string {
  const from = invalid.source ? ` (value from ${invalid.source})` : '';
  return `${invalid.key} failed ${invalid.constraints.join(', ')}${from}`;
}

/**
 * Every key was found, but some values break the `schema`. Lists each key with the constraint
 * names it failed and the source of its value; the message is built from those names only, never
 * from class-validator's messages (a custom message can quote `$value`).
 */
export class InvalidSecretsError extends VaultConfigError {
  readonly invalid: InvalidSecret[];

  constructor(invalid: InvalidSecret[]) {
    super(
      `${invalid.length} secret(s) failed schema validation: ` +
        `${invalid.map(describeInvalidSecret).join('; ')}. ` +
        'Fix each value where it comes from (the Vault path, the environment variable or defaults), ' +
        'or the rule in the schema class. Values are never shown.',
      'VAULT_INVALID_SECRETS',
    );
    this.invalid = invalid;
  }
}
