import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { VaultConfigError } from '../errors/vault-config.error.js';
import { VAULT_CONFIG_OPTIONS } from '../vault-config.constants.js';
import type { VaultConfigModuleSettings } from '../vault-config.module-definition.js';
import { DEFAULT_HEALTH_CACHE_MS, DEFAULT_HEALTH_TIMEOUT_MS } from './vault-health.constants.js';
import { createVaultHealthProbe, type VaultHealthProbe } from './vault-health.probe.js';

type Details = Record<string, unknown> & { healthy: boolean };

/**
 * Terminus indicator for the Vault that `VaultConfigModule` loads from: `up` when `sys/health`
 * says initialized and unsealed, else `down` with `sealed`, `initialized`, `version` or a safe
 * message. Never throws; one probe per `healthCacheMs` (default 5 s), each bounded by
 * `healthTimeoutMs` (default 2 s). Add it to `providers` next to `TerminusModule`.
 * @publicApi
 */
@Injectable()
export class VaultHealthIndicator implements OnModuleDestroy {
  readonly #cacheMs: number;
  readonly #timeoutMs: number;
  readonly #probe: VaultHealthProbe | undefined;
  #cached: { expiresAt: number; details: Promise<Details> } | undefined;

  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(VAULT_CONFIG_OPTIONS) options: VaultConfigModuleSettings,
  ) {
    this.#cacheMs = options.healthCacheMs ?? DEFAULT_HEALTH_CACHE_MS;
    this.#timeoutMs = options.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
    this.#probe = createVaultHealthProbe(options, this.#timeoutMs);
  }

  async isHealthy<const Key extends string = 'vault'>(
    key: Key = 'vault' as Key,
  ): Promise<HealthIndicatorResult<Key>> {
    const indicator = this.health.check(key);
    const { healthy, ...details } = await this.#details();
    return healthy ? indicator.up(details) : indicator.down(details);
  }

  async onModuleDestroy(): Promise<void> {
    await this.#probe?.close();
  }

  #details(): Promise<Details> {
    const now = Date.now();
    if (this.#cached && this.#cached.expiresAt > now) return this.#cached.details;
    const details = this.#probeOnce();
    this.#cached = { expiresAt: now + this.#cacheMs, details };
    return details;
  }

  async #probeOnce(): Promise<Details> {
    if (!this.#probe) return { healthy: true, enabled: false };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Details>(resolve => {
      timer = setTimeout(
        () => resolve({ healthy: false, message: `timeout of ${this.#timeoutMs}ms exceeded` }),
        this.#timeoutMs,
      );
    });
    try {
      return await Promise.race([this.#askVault(this.#probe), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #askVault(probe: VaultHealthProbe): Promise<Details> {
    try {
      const s = await probe.health();
      return {
        healthy: s.initialized && !s.sealed,
        initialized: s.initialized,
        sealed: s.sealed,
        standby: s.standby,
        ...(s.version !== undefined ? { version: s.version } : {}),
      };
    } catch (error) {
      // Library errors carry safe messages only; anything else is reduced to its class name.
      const message =
        error instanceof VaultConfigError
          ? error.message
          : `health probe failed (${errorName(error)})`;
      return { healthy: false, message };
    }
  }
}

const errorName = (error: unknown): string => (error instanceof Error ? error.name : typeof error);
