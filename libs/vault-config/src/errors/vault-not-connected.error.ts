import { VaultConfigError } from './vault-config.error.js';

/** Why the module has no Vault connection to send an engine request (Transit, ...) on. */
export type VaultNotConnectedReason = 'disabled' | 'fallback' | 'closed';

const WHY: Record<VaultNotConnectedReason, string> = {
  disabled:
    'VaultConfigModule runs with enabled: false (or VAULT_ENABLED=false), so it never connects to ' +
    'Vault. Enable it to use Vault engines',
  fallback:
    "Vault was unreachable when the app started and onUnavailable: 'fallback' booted it from the " +
    'environment and defaults. Engine requests work again once a refresh reaches Vault (set ' +
    'refresh.intervalMs, or call SecretsService.refresh())',
  closed: 'VaultConfigModule is shut down (app.close() was called)',
};

/** An engine request (Transit, ...) needs the module's Vault connection, and there is none. */
export class VaultNotConnectedError extends VaultConfigError {
  readonly reason: VaultNotConnectedReason;
  /** What was asked, e.g. `transit/encrypt/orders`. */
  readonly path: string;

  constructor(reason: VaultNotConnectedReason, path: string) {
    super(`Cannot send ${path} to Vault: ${WHY[reason]}.`, 'VAULT_NOT_CONNECTED');
    this.reason = reason;
    this.path = path;
  }
}
