import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { VaultAuthError } from '../../errors/vault-auth.error.js';
import type { VaultLoginClient } from '../auth-method.interface.js';
import { redact, scrubbedLogin } from './scrubbed-login.js';

const SECRET = 'canary-session-token-0123456789abcdef';

const refusing = (errors: string[]): VaultLoginClient => ({
  login: () =>
    Promise.reject(
      new VaultAuthError({
        method: 'aws',
        reason: 'Vault answered 400',
        status: 400,
        vaultErrors: errors,
      }),
    ),
  setToken: () => undefined,
  lookupWrapping: () => Promise.reject(new Error('not used')),
  unwrap: () => Promise.reject(new Error('not used')),
});

describe('scrubbedLogin', () => {
  it("redacts whole secrets, and the start of one that Vault's error was cut in", () => {
    expect(redact(`bad token ${SECRET} here`, [SECRET])).toBe('bad token [REDACTED] here');
    expect(redact(`bad token ${SECRET.slice(0, 20)}…`, [SECRET])).toBe('bad token [REDACTED]…');
    expect(redact('short ab', ['ab'])).toBe('short ab'); // too short to be a credential
    expect(redact('nothing to hide', [SECRET])).toBe('nothing to hide');
  });

  it('rebuilds a refusal without the secrets, keeping method, reason and status', async () => {
    const err = (await scrubbedLogin(refusing([`token ${SECRET} refused`]), 'aws', {}, 'aws', [
      SECRET,
    ]).catch((e: unknown) => e)) as VaultAuthError;
    expect(err).toBeInstanceOf(VaultAuthError);
    expect(err.message).toBe(
      'Vault aws authentication failed: Vault answered 400 (token [REDACTED] refused).',
    );
    expect(err.status).toBe(400);
    expect(err.vaultErrors).toEqual(['token [REDACTED] refused']);
    expect(inspect(err)).not.toContain(SECRET);
    expect(JSON.stringify(err)).not.toContain(SECRET);
  });

  it('passes other failures through untouched', async () => {
    const plain = new VaultAuthError({ method: 'aws', reason: 'x', vaultErrors: ['no secret'] });
    const client: VaultLoginClient = {
      login: () => Promise.reject(plain),
      setToken: () => undefined,
      lookupWrapping: () => Promise.reject(new Error('not used')),
      unwrap: () => Promise.reject(new Error('not used')),
    };
    await expect(scrubbedLogin(client, 'aws', {}, 'aws', [SECRET])).rejects.toBe(plain);
  });
});
