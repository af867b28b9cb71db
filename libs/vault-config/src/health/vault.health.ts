import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { describeError } from '../errors/describe-error.js';
import type { VaultSecretsRuntime } from '../runtime/vault-secrets-runtime.js';
import { VAULT_SECRETS_RUNTIME } from '../nest/vault-config.constants.js';
import {
  createVaultHealthProbe,
  type VaultHealthProbe,
  type VaultProbeAnswer,
} from './vault-health.probe.js';

type VaultDetails = Record<string, unknown> & { healthy: boolean };

/**
 * Terminus indicator for the Vault that `VaultConfigModule` loads from. `up` when Vault is
 * reachable, initialized and unsealed and our token is valid; `down` when sealed, unreachable, the
 * token is expired or revoked, or refreshes have failed for longer than `healthMaxStalenessMs`.
 * Details: `address` (the one in use), `sealed`, `initialized`, `standby`, `version`, `tokenTtlS`,
 * `lastRefreshAgeMs` and `lastError` (class name and a short reason — never a value or a token).
 *
 * Never throws. However many requests hit `/health`, Vault is probed at most once per
 * `healthCacheMs` (default 5 s) — one probe is `sys/health` plus `lookup-self`, sent together —
 * and each probe is bounded by `healthTimeoutMs` (default 2 s). Add it to `providers` next to
 * `TerminusModule`: `this.health.check([() => this.vault.isHealthy('vault')])`.
 * @publicApi
 */
@Injectable()
export class VaultHealthIndicator implements OnModuleDestroy {
  readonly #cacheMs: number;
  readonly #timeoutMs: number;
  readonly #maxStalenessMs: number | undefined;
  readonly #probe: VaultHealthProbe | undefined;
  #cached: { expiresAt: number; details: Promise<VaultDetails> } | undefined;

  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(VAULT_SECRETS_RUNTIME) private readonly runtime: VaultSecretsRuntime,
  ) {
    const settings = runtime.options.health;
    this.#cacheMs = settings.cacheMs;
    this.#timeoutMs = settings.timeoutMs;
    this.#maxStalenessMs = settings.maxStalenessMs;
    this.#probe = createVaultHealthProbe(runtime.options);
  }

  async isHealthy<const Key extends string = 'vault'>(
    key: Key = 'vault' as Key,
  ): Promise<HealthIndicatorResult<Key>> {
    const indicator = this.health.check(key);
    if (!this.#probe) return indicator.up({ enabled: false });
    const vault = await this.#vaultDetails();
    const status = this.runtime.status();
    const address = this.#probe.address;
    const stale =
      this.runtime.refreshFailing &&
      this.#maxStalenessMs !== undefined &&
      status.lastRefreshAgeMs > this.#maxStalenessMs;
    const { healthy, ...details } = {
      address,
      ...vault,
      ...(vault.tokenTtlS === undefined && status.tokenTtlS !== undefined
        ? { tokenTtlS: status.tokenTtlS }
        : {}),
      lastRefreshAgeMs: status.lastRefreshAgeMs,
      ...(status.lastError ? { lastError: status.lastError } : {}),
      ...(stale ? { stale: true } : {}),
    };
    return healthy && !stale ? indicator.up(details) : indicator.down(details);
  }

  async onModuleDestroy(): Promise<void> {
    await this.#probe?.close();
  }

  #vaultDetails(): Promise<VaultDetails> {
    const now = Date.now();
    if (this.#cached && this.#cached.expiresAt > now) return this.#cached.details;
    const details = this.#probeOnce();
    this.#cached = { expiresAt: now + this.#cacheMs, details };
    return details;
  }

  async #probeOnce(): Promise<VaultDetails> {
    const probe = this.#probe as VaultHealthProbe;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<VaultDetails>(resolve => {
      timer = setTimeout(
        () => resolve({ healthy: false, message: `timeout of ${this.#timeoutMs}ms exceeded` }),
        this.#timeoutMs,
      );
    });
    try {
      return await Promise.race([this.#askVault(probe), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #askVault(probe: VaultHealthProbe): Promise<VaultDetails> {
    try {
      return fromAnswer(await probe.probe(client => this.runtime.shareTokenWith(client)));
    } catch (error) {
      return { healthy: false, message: describeError(error) };
    }
  }
}

function fromAnswer({ health: s, token }: VaultProbeAnswer): VaultDetails {
  const tokenValid = token ? token.valid : undefined;
  return {
    healthy: s.initialized && !s.sealed && tokenValid !== false,
    initialized: s.initialized,
    sealed: s.sealed,
    standby: s.standby,
    ...(s.version !== undefined ? { version: s.version } : {}),
    ...(token?.valid ? { tokenTtlS: token.ttlS } : {}),
    ...(tokenValid === false
      ? { tokenValid: false, message: 'Vault no longer accepts the token (expired or revoked)' }
      : {}),
  };
}
