import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import {
  InvalidSecretsError,
  MissingSecretsError,
  VaultAuthError,
  VaultConfigError,
  VaultConfigOptionsError,
  VaultPermissionError,
  VaultResponseError,
  VaultSecretNotFoundError,
  VaultUnavailableError,
} from '../index.js';
import { safeText, vaultErrorStrings } from '../utils/safe-text.js';
// Still importable from its first home (backward compatibility).
import type { InvalidSecret } from './missing-secrets.error.js';

describe('errors', () => {
  const all = [
    new VaultUnavailableError({
      address: 'http://v',
      errorCode: 'ETIMEDOUT',
      path: 'secret/data/a',
      attempts: 3,
    }),
    new VaultPermissionError({ paths: ['secret/data/a'], capability: 'read' }),
    new VaultSecretNotFoundError({ mount: 'secret', path: 'a', lookedAt: ['secret/data/a'] }),
    new MissingSecretsError(
      [{ key: 'A', lookedIn: ['secret/a (kv2)', 'env A'] }],
      [{ key: 'B', constraints: ['isUrl'], source: 'env B' }],
    ),
    new VaultConfigOptionsError([
      { option: 'sources[0].mount', message: 'must be a non-empty string' },
    ]),
    new VaultResponseError({
      path: 'secret/data/a',
      reason: 'the response body is not valid JSON',
      status: 200,
    }),
    new VaultAuthError({
      method: 'approle',
      reason: 'bad',
      status: 400,
      vaultErrors: ['invalid role or secret ID'],
    }),
    new InvalidSecretsError([
      { key: 'DATABASE_URL', constraints: ['isUrl'], source: 'secret/apps/billing/prod (kv2)' },
      { key: 'PORT', constraints: ['isInt', 'max'], source: 'defaults' },
    ] satisfies InvalidSecret[]),
  ];

  it('share a base class, carry a code and their own name, and never a cause', () => {
    for (const e of all) {
      expect(e).toBeInstanceOf(VaultConfigError);
      expect(e.name).toBe(e.constructor.name);
      expect(e.code).toMatch(/^VAULT_/);
      expect('cause' in e).toBe(false);
      const json = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
      expect(json.message).toBe(e.message);
      expect(json.name).toBe(e.name);
    }
  });

  it('say what happened and what to do', () => {
    expect(all[0].message).toBe(
      "Vault at http://v is unavailable (ETIMEDOUT) after 3 attempt(s) requesting secret/data/a. Check the address (options.address / VAULT_ADDR), the network, TLS settings and that Vault is unsealed; or set onUnavailable: 'fallback' to boot from environment and defaults.",
    );
    expect(all[3].message).toBe(
      '1 required secret(s) missing: A (looked in secret/a (kv2), env A). Add them to Vault, to the environment, or to defaults. Also, 1 secret(s) failed schema validation: B failed isUrl (value from env B). Fix those values where they come from.',
    );
    expect(all[7].message).toBe(
      '2 secret(s) failed schema validation: DATABASE_URL failed isUrl (value from secret/apps/billing/prod (kv2)); PORT failed isInt, max (value from defaults). Fix each value where it comes from (the Vault path, the environment variable or defaults), or the rule in the schema class. Values are never shown.',
    );
    expect(all[7].code).toBe('VAULT_INVALID_SECRETS');
    expect(
      new MissingSecretsError([
        { key: 'K', lookedIn: ['secret/a (kv2)', 'env K'], placeholderIn: 'K' },
      ]).message,
    ).toBe(
      '1 required secret(s) missing: K (looked in secret/a (kv2), env K): env K holds the [VAULT] placeholder left by vault-config migrate, so the value must be in a Vault source listed: secret/a (kv2). Add them to Vault, to the environment, or to defaults.',
    );
    expect((all[4] as VaultConfigOptionsError).option).toBe('sources[0].mount');
    expect(inspect(all[1], { depth: 10 })).toContain("needs the 'read' capability");
  });

  it('truncate and clean Vault error strings', () => {
    expect(vaultErrorStrings({ errors: ['a\n\t* permission denied\n\n'] })).toEqual([
      'a * permission denied',
    ]);
    expect(safeText('a\n\t* permission denied\n\n')).toBe('a\\n\\t* permission denied');
    expect(safeText('x'.repeat(300))).toHaveLength(201);
    expect(vaultErrorStrings({ errors: ['1', 2, '', '3', '4', '5'] })).toEqual(['1', '3', '4']);
    expect(vaultErrorStrings('oops')).toEqual([]);
  });
});
