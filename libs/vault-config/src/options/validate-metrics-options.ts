import type { VaultMetricsOptions } from '../interfaces/vault-metrics-options.interface.js';
import { isObject } from '../utils/is-object.js';
import { own, type RawOptions, type Report } from './option-reader.js';

const SHAPE = 'must be true, false or { meterProvider } (an OpenTelemetry MeterProvider)';

/**
 * `metrics`: on by default (recorded only if `@opentelemetry/api` is installed); `false` keeps the
 * API from ever being loaded; `{ meterProvider }` records on that provider instead of the global one.
 */
export function validateMetricsOptions(
  raw: RawOptions,
  problem: Report,
): false | VaultMetricsOptions {
  const value = own(raw, 'metrics');
  if (value === undefined || value === true) return {};
  if (value === false) return false;
  if (!isObject(value)) {
    problem('metrics', SHAPE);
    return false;
  }
  const meterProvider = own(value, 'meterProvider');
  if (meterProvider === undefined) return {};
  if (!isObject(meterProvider) || typeof meterProvider.getMeter !== 'function') {
    problem(
      'metrics.meterProvider',
      'must be a MeterProvider: an object with getMeter(name, version)',
    );
    return false;
  }
  return { meterProvider: meterProvider as unknown as VaultMetricsOptions['meterProvider'] };
}
