import { afterEach, describe, expect, it } from '@jest/globals';
import type { VaultTelemetryReading } from '../interfaces/vault-telemetry.interface.js';
import { collect, meterProvider } from './metrics.spec-helpers.js';
import { ATTR, METRIC } from './vault-metric-names.js';
import { VaultMetrics } from './vault-metrics.js';

/**
 * Every attribute key an instrument may carry: names, classes and places, never a value. Written
 * out, not taken from ATTR: a new attribute must be added here, by someone who checked it.
 */
const ALLOWED_KEYS: readonly string[] = [
  'error.type',
  'vault.auth.method',
  'vault.during',
  'vault.load.mode',
  'vault.mount',
  'vault.outcome',
  'vault.path',
  'vault.pool', // a pg pool's name: the KEY that holds its user name, never its value
  'vault.refresh.changed',
  'vault.refresh.trigger',
  'vault.renewal.action',
  'vault.renewal.kind',
];

/** The instruments and their units, written out for the same reason. */
const INSTRUMENT_UNITS: Readonly<Record<string, string>> = {
  'vault_config.certificate.remaining': 's',
  'vault_config.failures': '{failure}',
  'vault_config.lease.remaining': 's',
  'vault_config.load.duration': 's',
  'vault_config.loads': '{load}',
  'vault_config.logins': '{login}',
  'vault_config.refresh.age': 's',
  'vault_config.refresh.duration': 's',
  'vault_config.refreshes': '{refresh}',
  'vault_config.renewals': '{renewal}',
  'vault_config.token.ttl': 's',
};

const reading = (over: Partial<VaultTelemetryReading> = {}): VaultTelemetryReading => ({
  tokenTtlS: 3600,
  lastRefreshAgeMs: 1500,
  expiries: [
    { kind: 'lease', mount: 'database', path: 'creds/app', expiresAt: Date.now() + 60_000 },
    { kind: 'certificate', mount: 'pki', path: 'issue/web', expiresAt: Date.now() + 120_000 },
  ],
  ...over,
});

describe('VaultMetrics', () => {
  const providers: Array<{ shutdown(): Promise<void> }> = [];
  afterEach(async () => {
    for (const p of providers.splice(0)) await p.shutdown();
  });

  function setUp(read = () => reading()) {
    const { provider, reader } = meterProvider();
    providers.push(provider);
    const metrics = new VaultMetrics(provider.getMeter('test'), read, 'approle');
    return { metrics, reader };
  }

  it('names every instrument the OpenTelemetry way, with its unit', async () => {
    const { metrics, reader } = setUp();
    metrics.loaded({ durationMs: 120, outcome: 'success', mode: 'vault' });
    metrics.refreshed({ durationMs: 40, outcome: 'success', trigger: 'demand', changed: true });
    metrics.refreshed({
      durationMs: 5,
      outcome: 'failure',
      trigger: 'schedule',
      errorClass: 'VaultUnavailableError',
    });
    metrics.loggedIn({ method: 'approle', outcome: 'success' });
    metrics.renewed({ kind: 'token', action: 'renew', outcome: 'success' });
    const got = await collect(reader);
    expect(got.names()).toEqual(Object.keys(INSTRUMENT_UNITS).sort());
    const units = Object.fromEntries(got.names().map(n => [n, got.metric(n)?.descriptor.unit]));
    expect(units).toEqual(INSTRUMENT_UNITS);
    expect(Object.values(ATTR).sort()).toEqual([...ALLOWED_KEYS].sort());
    for (const name of got.names()) {
      for (const point of got.points(name)) {
        for (const key of Object.keys(point.attributes)) expect(ALLOWED_KEYS).toContain(key);
      }
    }
  });

  it('counts by outcome, and each failure by error class and activity', async () => {
    const { metrics, reader } = setUp();
    metrics.refreshed({ durationMs: 40, outcome: 'success', trigger: 'demand', changed: false });
    metrics.refreshed({
      durationMs: 5,
      outcome: 'failure',
      trigger: 'schedule',
      errorClass: 'VaultUnavailableError',
    });
    metrics.loggedIn({ method: 'approle', outcome: 'failure', errorClass: 'VaultAuthError' });
    metrics.renewed({
      kind: 'lease',
      action: 'reissue',
      outcome: 'failure',
      errorClass: 'VaultPermissionError',
      mount: 'database',
      path: 'creds/app',
    });
    const got = await collect(reader);
    expect(got.points(METRIC.refreshes).map(p => [p.attributes, p.value])).toEqual([
      [{ [ATTR.outcome]: 'success', [ATTR.trigger]: 'demand', [ATTR.changed]: false }, 1],
      [
        {
          [ATTR.outcome]: 'failure',
          [ATTR.errorType]: 'VaultUnavailableError',
          [ATTR.trigger]: 'schedule',
        },
        1,
      ],
    ]);
    expect(got.points(METRIC.failures).map(p => [p.attributes, p.value])).toEqual([
      [
        {
          [ATTR.errorType]: 'VaultUnavailableError',
          [ATTR.trigger]: 'schedule',
          [ATTR.during]: 'refresh',
        },
        1,
      ],
      [{ [ATTR.errorType]: 'VaultAuthError', [ATTR.method]: 'approle', [ATTR.during]: 'login' }, 1],
      [
        {
          [ATTR.errorType]: 'VaultPermissionError',
          [ATTR.kind]: 'lease',
          [ATTR.action]: 'reissue',
          [ATTR.mount]: 'database',
          [ATTR.path]: 'creds/app',
          [ATTR.during]: 'renewal',
        },
        1,
      ],
    ]);
  });

  it('records durations in seconds', async () => {
    const { metrics, reader } = setUp();
    metrics.loaded({ durationMs: 250, outcome: 'success', mode: 'vault' });
    const [point] = (await collect(reader)).points(METRIC.loadDuration);
    expect(point?.value).toMatchObject({ count: 1, sum: 0.25 });
    expect(point?.attributes).toEqual({ [ATTR.outcome]: 'success', [ATTR.mode]: 'vault' });
  });

  it('gauges read the current state at each collection: token TTL, refresh age, time left', async () => {
    let current = reading();
    const { reader } = setUp(() => current);
    const got = await collect(reader);
    expect(got.points(METRIC.tokenTtl).map(p => [p.attributes, p.value])).toEqual([
      [{ [ATTR.method]: 'approle' }, 3600],
    ]);
    expect(got.points(METRIC.refreshAge).map(p => p.value)).toEqual([1.5]);
    const [lease] = got.points(METRIC.leaseRemaining);
    expect(lease?.attributes).toEqual({ [ATTR.mount]: 'database', [ATTR.path]: 'creds/app' });
    expect(lease?.value).toBeGreaterThan(58);
    expect(lease?.value).toBeLessThanOrEqual(60);
    const [certificate] = got.points(METRIC.certificateRemaining);
    expect(certificate?.attributes).toEqual({ [ATTR.mount]: 'pki', [ATTR.path]: 'issue/web' });

    current = reading({ tokenTtlS: undefined, expiries: [] });
    const later = await collect(reader);
    expect(later.points(METRIC.tokenTtl)).toEqual([]); // unknown TTL: no point, not a 0
    expect(later.points(METRIC.leaseRemaining)).toEqual([]);
  });

  it('close(): the gauges stop reporting; the counters keep what they counted', async () => {
    let reads = 0;
    const { metrics, reader } = setUp(() => {
      reads++;
      return reading();
    });
    metrics.loaded({ durationMs: 10, outcome: 'success' });
    expect((await collect(reader)).points(METRIC.refreshAge)).toHaveLength(1);
    metrics.close();
    const got = await collect(reader);
    expect(reads).toBe(1);
    for (const gauge of [
      METRIC.tokenTtl,
      METRIC.refreshAge,
      METRIC.leaseRemaining,
      METRIC.certificateRemaining,
    ]) {
      expect(got.points(gauge)).toEqual([]);
    }
    expect(got.points(METRIC.loads).map(p => p.value)).toEqual([1]);
  });
});
