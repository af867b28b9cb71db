/**
 * An OpenTelemetry `MeterProvider` (`@opentelemetry/sdk-metrics`, or any implementation of the
 * API's interface), described by the one method used so the package's types never need
 * `@opentelemetry/api`.
 */
export interface VaultMeterProviderLike {
  getMeter(name: string, version?: string): object;
}

/** `metrics: { ... }` of `VaultConfigOptions`. */
export interface VaultMetricsOptions {
  /** Default: the global provider of `@opentelemetry/api` (`metrics.getMeter`). */
  meterProvider?: VaultMeterProviderLike;
}
