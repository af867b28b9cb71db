/** How `VaultHealthIndicator` probes Vault; given to `VaultConfigModule.forRoot` / `forRootAsync`. */
export interface VaultHealthOptions {
  /**
   * How long `VaultHealthIndicator` reuses one `sys/health` answer.
   * @default 5000
   */
  healthCacheMs?: number;
  /**
   * Timeout of one `sys/health` probe of `VaultHealthIndicator`.
   * @default 2000
   */
  healthTimeoutMs?: number;
  /**
   * `VaultHealthIndicator` reports `down` once refreshes have been failing and the last good one is
   * older than this. Default: 3 × `refresh.intervalMs` (no staleness check without `refresh`).
   */
  healthMaxStalenessMs?: number;
}
