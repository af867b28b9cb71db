import { describe, expect, it, jest } from '@jest/globals';
import type { VaultTelemetrySink } from '../interfaces/vault-telemetry.interface.js';
import { TelemetryRelay } from './telemetry-relay.js';

const sink = () => ({
  loaded: jest.fn(),
  refreshed: jest.fn(),
  loggedIn: jest.fn(),
  renewed: jest.fn(),
  close: jest.fn(),
});
const asSink = (s: ReturnType<typeof sink>) => s as unknown as VaultTelemetrySink;

describe('TelemetryRelay', () => {
  it('holds what happened before the recorder connects, then forwards as it happens', () => {
    const relay = new TelemetryRelay(true);
    relay.loaded({ durationMs: 12, outcome: 'success', mode: 'vault' });
    relay.loggedIn({ method: 'approle', outcome: 'success' });
    const recorder = sink();
    relay.connect(asSink(recorder));
    expect(recorder.loaded).toHaveBeenCalledWith({
      durationMs: 12,
      outcome: 'success',
      mode: 'vault',
    });
    expect(recorder.loggedIn).toHaveBeenCalledTimes(1);
    relay.renewed({ kind: 'token', action: 'renew', outcome: 'success' });
    expect(recorder.renewed).toHaveBeenCalledTimes(1);
  });

  it('holds at most 64 events while nobody connects', () => {
    const relay = new TelemetryRelay(true);
    for (let i = 0; i < 100; i++) relay.loggedIn({ method: 'approle', outcome: 'success' });
    const recorder = sink();
    relay.connect(asSink(recorder));
    expect(recorder.loggedIn).toHaveBeenCalledTimes(64);
  });

  it('disabled (metrics: false): holds nothing; a late recorder is closed at once', () => {
    const relay = new TelemetryRelay(false);
    relay.loaded({ durationMs: 1, outcome: 'success' });
    const recorder = sink();
    relay.connect(asSink(recorder));
    expect(recorder.loaded).not.toHaveBeenCalled();
    expect(recorder.close).toHaveBeenCalledTimes(1);
  });

  it('close() closes the recorder and forwards nothing after', () => {
    const relay = new TelemetryRelay(true);
    const recorder = sink();
    relay.connect(asSink(recorder));
    relay.close();
    expect(recorder.close).toHaveBeenCalledTimes(1);
    relay.refreshed({ durationMs: 1, outcome: 'success', trigger: 'demand' });
    expect(recorder.refreshed).not.toHaveBeenCalled();
    expect(relay.closed).toBe(true);
  });

  it('a failing recorder never reaches the caller', () => {
    const relay = new TelemetryRelay(true);
    const recorder = sink();
    recorder.refreshed.mockImplementation(() => {
      throw new Error('broken exporter');
    });
    relay.connect(asSink(recorder));
    expect(() =>
      relay.refreshed({ durationMs: 1, outcome: 'success', trigger: 'demand' }),
    ).not.toThrow();
  });
});
