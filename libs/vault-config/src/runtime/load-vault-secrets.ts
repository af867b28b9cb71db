import type { LoadVaultSecretsContext } from '../interfaces/load-context.interface.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import type { SecretSnapshot } from '../snapshot/secret-snapshot.js';
import type { InitialLoad } from './initial-load.js';
import { loadRuntimeModule } from './load-runtime-module.js';

/**
 * Reads every source from Vault and returns one immutable, redacting snapshot.
 *
 * Steps: validate options (env vars read now) → authenticate → read all sources in parallel (as many
 * requests at once as there are sources, up to `concurrency`; KV version detected once per mount) →
 * merge by precedence (later source > earlier source > environment > defaults) → required keys and
 * schema → snapshot. Logs one startup line via `context.logger` (no values).
 *
 * Failures reject with typed errors: VaultConfigOptionsError, VaultAuthError, VaultUnavailableError,
 * VaultPermissionError, VaultSecretNotFoundError, VaultResponseError, MissingSecretsError (every
 * missing key and schema failure at once). With `onUnavailable: 'fallback'`, a VaultUnavailableError
 * (and only that) switches to environment + defaults for the whole load — partial Vault results are
 * dropped — and the startup line, logged as a warning, says so. The default transport is closed
 * before returning; a transport passed in options is left open (its owner closes it).
 *
 * This is a one-shot read: `refresh`, token renewal, lease renewal, certificate re-issue and
 * static-role re-reads need `VaultConfigModule`.
 */
export async function loadVaultSecrets<T extends object = Record<string, string>>(
  options: VaultConfigOptions,
  context: LoadVaultSecretsContext = {},
): Promise<SecretSnapshot<T>> {
  const { performInitialLoad } = await loadRuntimeModule();
  return snapshotOf(await performInitialLoad<T>(options, context, false), context);
}

/** The snapshot of a one-shot load, with the warning that its leases are left alone. */
export function snapshotOf<T extends object>(
  loaded: InitialLoad<T>,
  context: LoadVaultSecretsContext,
): SecretSnapshot<T> {
  if (loaded.results.some(r => r.lease)) {
    context.logger?.warn(
      'Dynamic sources were read once: their leases are not renewed outside VaultConfigModule',
    );
  }
  if (loaded.results.some(r => r.certificate)) {
    context.logger?.warn(
      'PKI sources were issued once: their certificates are not re-issued outside VaultConfigModule',
    );
  }
  if (loaded.results.some(r => r.rotation)) {
    context.logger?.warn(
      'Static roles were read once: rotated passwords are not read again outside VaultConfigModule',
    );
  }
  return loaded.snapshot;
}
