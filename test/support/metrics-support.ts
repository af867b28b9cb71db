/** OpenTelemetry SDK helpers for the metrics suites: a hand-collected reader (gauges delta). */
export {
  collect,
  meterProvider,
  type Collected,
} from '../../libs/vault-config/src/metrics/metrics.spec-helpers.js';
