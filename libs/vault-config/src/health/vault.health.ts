import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { describeError } from '../errors/describe-error.js';
import type { VaultSecretsRuntime } from '../runtime/vault-secrets-runtime.js';
import { VAULT_SECRETS_RUNTIME } from '../nest/vault-config.constants.js';
import { credentialPoolDetails } from './credential-pool-details.js';
import { degradedReasons } from './degraded-reasons.js';
import {
  createVaultHealthProbe,
  type VaultHealthProbe,
  type VaultProbeAnswer,
} from './vault-health.probe.js';

type VaultDetails = Record<string, unknown> & { healthy: boolean };

/**
 * Terminus indicator for the Vault that `VaultConfigModule` loads from. `up` when Vault is
 * reachable, initialized and unsealed and our token is valid; `down` when sealed, unreachable, the
 * token is expired or revoked, refreshes have failed for longer than `healthMaxStalenessMs`, or a
 * lease or certificate in use is past its expiry (renewing and replacing it failed: `expired`);
 * `degraded` (still serving, but impaired) with a `reason` (see `VaultDegradedReason`: serving the
 * last known good secrets, a failover address in use, credentials not renewed or running out).
 * Terminus 12 answers `degraded` with HTTP 200 and an overall `status: 'degraded'`; older Terminus
 * (no `degraded()`, detected at run time) gets `up` with `degraded: true` and the same `reason`.
 * Details: `address` (the one in use), `sealed`, `initialized`, `standby`, `version`, `tokenTtlS`,
 * `lastRefreshAgeMs` and `lastError` (class name and a short reason — never a value or a token).
 *
 * Never throws. However many requests hit `/health`, Vault is probed at most once per
 * `healthCacheMs` (default 5 s) — one probe is `sys/health` plus `lookup-self`, sent together —
 * and each probe is bounded by `healthTimeoutMs` (default 2 s). Add it to `providers` next to
 * `TerminusModule`: `this.health.check([() => this.vault.isHealthy('vault')])` — as a function,
 * not inside Terminus's `attempt()` (its `withTimeout()`/`cacheFor()` would add a second cache, and
 * `attempt()` reports any answer as `up`).
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
    const now = Date.now();
    const expired = this.runtime.telemetryReading().expiries.some(e => e.expiresAt <= now);
    const { healthy, ...details } = {
      address,
      ...vault,
      ...(vault.tokenTtlS === undefined && status.tokenTtlS !== undefined
        ? { tokenTtlS: status.tokenTtlS }
        : {}),
      lastRefreshAgeMs: status.lastRefreshAgeMs,
      ...credentialPoolDetails(this.runtime),
      ...(status.lastError ? { lastError: status.lastError } : {}),
      ...(stale ? { stale: true } : {}),
      ...(expired ? { expired: true } : {}),
    };
    if (!healthy || stale || expired) return indicator.down(details);
    const reasons = degradedReasons({
      status,
      refreshFailing: this.runtime.refreshFailing,
      address,
      addresses: this.runtime.options.addresses,
    });
    if (!reasons.length) return indicator.up(details);
    const impaired = { ...details, reason: reasons.join(', ') };
    // Terminus 12's degraded(); before it (Terminus 11, which would drop the status), up + a flag.
    const canDegrade = typeof (indicator as { degraded?: unknown }).degraded === 'function';
    return canDegrade
      ? indicator.degraded(impaired)
      : indicator.up({ ...impaired, degraded: true });
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
