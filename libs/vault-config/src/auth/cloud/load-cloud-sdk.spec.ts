import { describe, expect, it } from '@jest/globals';
import { VaultAuthError } from '../../errors/vault-auth.error.js';
import { loadCloudSdk } from './load-cloud-sdk.js';

describe('loadCloudSdk', () => {
  it('a package that is not installed: a VaultAuthError with the npm install line', async () => {
    const missing = '@example-not-installed/vault-cloud-sdk';
    const err = await loadCloudSdk('aws', [missing, 'other-pkg'], () => import(missing)).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(VaultAuthError);
    expect((err as Error).message).toBe(
      `Vault aws authentication failed: the aws method needs ${missing}, which is not installed: ` +
        `npm install ${missing} other-pkg.`,
    );
  });

  it('a package that fails to load for another reason is named, with the error class only', async () => {
    const err = await loadCloudSdk('gcp', ['google-auth-library'], () =>
      Promise.reject(new TypeError('token=canary-secret in a stack')),
    ).catch((e: unknown) => e as Error);
    expect(err.message).toBe(
      'Vault gcp authentication failed: cannot load google-auth-library (TypeError).',
    );
  });

  it('returns the module when it loads', async () => {
    await expect(loadCloudSdk('aws', ['x'], () => Promise.resolve(42))).resolves.toBe(42);
  });
});
