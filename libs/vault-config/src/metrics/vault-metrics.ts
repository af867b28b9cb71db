import type {
  Attributes,
  BatchObservableCallback,
  Counter,
  Histogram,
  Meter,
  ObservableGauge,
} from '@opentelemetry/api';
import type {
  VaultLoadEvent,
  VaultLoginEvent,
  VaultRefreshEvent,
  VaultRenewalEvent,
  VaultTelemetryReading,
  VaultTelemetrySink,
} from '../interfaces/vault-telemetry.interface.js';
import { ATTR, DURATION_BOUNDARIES_S, METRIC } from './vault-metric-names.js';

type During = 'load' | 'refresh' | 'login' | 'renewal';

const seconds = (ms: number): number => ms / 1000;

/**
 * The instruments on one Meter, fed by one runtime's events; the gauges read `read()` on each
 * collection, from one batch callback that `close()` removes (a closed app reports nothing).
 */
export class VaultMetrics implements VaultTelemetrySink {
  readonly #meter: Meter;
  readonly #read: () => VaultTelemetryReading;
  readonly #method: string;
  readonly #counters: Record<'loads' | 'refreshes' | 'logins' | 'renewals' | 'failures', Counter>;
  readonly #loadDuration: Histogram;
  readonly #refreshDuration: Histogram;
  readonly #gauges: Record<
    'tokenTtl' | 'lease' | 'certificate' | 'refreshAge' | 'poolAge' | 'poolLease' | 'poolDraining',
    ObservableGauge
  >;
  readonly #observe: BatchObservableCallback = result => {
    const reading = this.#read();
    if (reading.tokenTtlS !== undefined) {
      result.observe(this.#gauges.tokenTtl, reading.tokenTtlS, { [ATTR.method]: this.#method });
    }
    result.observe(this.#gauges.refreshAge, seconds(reading.lastRefreshAgeMs));
    const now = Date.now();
    for (const expiry of reading.expiries) {
      const gauge = expiry.kind === 'lease' ? this.#gauges.lease : this.#gauges.certificate;
      const left = Math.max(0, seconds(expiry.expiresAt - now));
      result.observe(gauge, left, { [ATTR.mount]: expiry.mount, [ATTR.path]: expiry.path });
    }
    for (const pool of reading.pools ?? []) {
      const attributes = { [ATTR.pool]: pool.name };
      result.observe(this.#gauges.poolAge, pool.credentialAgeS, attributes);
      result.observe(this.#gauges.poolDraining, pool.draining, attributes);
      if (pool.leaseRemainingS !== undefined) {
        result.observe(this.#gauges.poolLease, pool.leaseRemainingS, attributes);
      }
    }
  };

  /** `method`: the auth method, the token TTL gauge's attribute. */
  constructor(meter: Meter, read: () => VaultTelemetryReading, method: string) {
    this.#meter = meter;
    this.#read = read;
    this.#method = method;
    const counter = (name: string, unit: string, description: string) =>
      meter.createCounter(name, { unit, description });
    this.#counters = {
      loads: counter(METRIC.loads, '{load}', 'Initial loads of the secrets'),
      refreshes: counter(METRIC.refreshes, '{refresh}', 'Refreshes, scheduled or on demand'),
      logins: counter(METRIC.logins, '{login}', 'Tokens obtained with the auth method'),
      renewals: counter(METRIC.renewals, '{renewal}', 'Renewals of tokens, leases, certificates'),
      failures: counter(METRIC.failures, '{failure}', 'Failed loads, refreshes, logins, renewals'),
    };
    const histogram = (name: string, description: string) =>
      meter.createHistogram(name, {
        unit: 's',
        description,
        advice: { explicitBucketBoundaries: DURATION_BOUNDARIES_S },
      });
    this.#loadDuration = histogram(METRIC.loadDuration, 'Duration of the initial load');
    this.#refreshDuration = histogram(METRIC.refreshDuration, 'Duration of a refresh');
    const gauge = (name: string, description: string, unit = 's') =>
      meter.createObservableGauge(name, { unit, description });
    this.#gauges = {
      tokenTtl: gauge(METRIC.tokenTtl, 'Time left on the token (0: it never expires)'),
      lease: gauge(METRIC.leaseRemaining, 'Time left on the lease of a dynamic source'),
      certificate: gauge(METRIC.certificateRemaining, 'Time left on a PKI certificate'),
      refreshAge: gauge(METRIC.refreshAge, 'Time since the last good load or refresh'),
      poolAge: gauge(METRIC.poolCredentialAge, 'Age of the credentials a pg pool logs in with'),
      poolLease: gauge(METRIC.poolLeaseRemaining, 'Time left on the lease of a pg pool'),
      poolDraining: gauge(METRIC.poolDraining, 'Pools on replaced credentials', '{pool}'),
    };
    meter.addBatchObservableCallback(this.#observe, Object.values(this.#gauges));
  }

  loaded(event: VaultLoadEvent): void {
    const attributes = { ...outcomeOf(event), ...(event.mode ? { [ATTR.mode]: event.mode } : {}) };
    this.#counters.loads.add(1, attributes);
    this.#loadDuration.record(seconds(event.durationMs), attributes);
    this.#failed(event, 'load', attributes);
  }

  refreshed(event: VaultRefreshEvent): void {
    const attributes = { ...outcomeOf(event), [ATTR.trigger]: event.trigger };
    const changed = event.changed === undefined ? {} : { [ATTR.changed]: event.changed };
    this.#counters.refreshes.add(1, { ...attributes, ...changed });
    this.#refreshDuration.record(seconds(event.durationMs), attributes);
    this.#failed(event, 'refresh', attributes);
  }

  loggedIn(event: VaultLoginEvent): void {
    const attributes = { ...outcomeOf(event), [ATTR.method]: event.method };
    this.#counters.logins.add(1, attributes);
    this.#failed(event, 'login', attributes);
  }

  renewed(event: VaultRenewalEvent): void {
    const attributes: Attributes = {
      ...outcomeOf(event),
      [ATTR.kind]: event.kind,
      [ATTR.action]: event.action,
      ...(event.mount !== undefined ? { [ATTR.mount]: event.mount } : {}),
      ...(event.path !== undefined ? { [ATTR.path]: event.path } : {}),
    };
    this.#counters.renewals.add(1, attributes);
    this.#failed(event, 'renewal', attributes);
  }

  close(): void {
    this.#meter.removeBatchObservableCallback(this.#observe, Object.values(this.#gauges));
  }

  /** A failure is also counted on its own, by error class and activity. */
  #failed(
    event: { outcome: string; errorClass?: string },
    during: During,
    attributes: Attributes,
  ): void {
    if (event.outcome !== 'failure') return;
    const { [ATTR.outcome]: _outcome, ...rest } = attributes;
    this.#counters.failures.add(1, {
      ...rest,
      [ATTR.during]: during,
      [ATTR.errorType]: event.errorClass ?? 'Error',
    });
  }
}

function outcomeOf(event: { outcome: string; errorClass?: string }): Attributes {
  return {
    [ATTR.outcome]: event.outcome,
    ...(event.errorClass !== undefined ? { [ATTR.errorType]: event.errorClass } : {}),
  };
}
