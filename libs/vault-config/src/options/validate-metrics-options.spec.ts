import { describe, expect, it, jest } from '@jest/globals';
import { VaultConfigOptionsError } from '../errors/vault-config-options.error.js';
import type { Report } from './option-reader.js';
import { validateMetricsOptions } from './validate-metrics-options.js';
import { validateVaultConfigOptions } from './validate-vault-config-options.js';

const resolve = (raw: Record<string, unknown>) => {
  const report = jest.fn<Report>();
  const resolved = validateMetricsOptions(raw, report);
  return { resolved, problems: report.mock.calls };
};
const provider = { getMeter: () => ({}) };

describe('validateMetricsOptions', () => {
  it('is on by default and with true; false turns it off', () => {
    expect(resolve({})).toEqual({ resolved: {}, problems: [] });
    expect(resolve({ metrics: true })).toEqual({ resolved: {}, problems: [] });
    expect(resolve({ metrics: false })).toEqual({ resolved: false, problems: [] });
  });

  it('takes a meterProvider', () => {
    expect(resolve({ metrics: { meterProvider: provider } }).resolved).toEqual({
      meterProvider: provider,
    });
  });

  it('reports anything else by its option name', () => {
    expect(resolve({ metrics: 'yes' }).problems).toEqual([
      ['metrics', expect.stringMatching(/^must be true, false or \{ meterProvider \}/)],
    ]);
    expect(resolve({ metrics: { meterProvider: {} } }).problems).toEqual([
      ['metrics.meterProvider', expect.stringMatching(/^must be a MeterProvider/)],
    ]);
  });

  it('flows into the resolved options, and a typo in it gets "did you mean"', () => {
    const base = { address: 'http://127.0.0.1:8200', auth: { method: 'token', token: 't' } };
    expect(validateVaultConfigOptions(base, {}).metrics).toEqual({});
    expect(validateVaultConfigOptions({ ...base, metrics: false }, {}).metrics).toBe(false);
    let error: unknown;
    try {
      validateVaultConfigOptions(
        { ...base, metrics: { meterProvder: provider }, metric: true },
        {},
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VaultConfigOptionsError);
    expect((error as VaultConfigOptionsError).problems).toEqual([
      { option: 'metric', message: expect.stringMatching(/did you mean metrics\?/) },
      {
        option: 'metrics.meterProvder',
        message: expect.stringMatching(/did you mean metrics\.meterProvider\?/),
      },
    ]);
  });
});
