import { describe, expect, it } from '@jest/globals';
import type { ConfigChangeEvent, ConfigService } from '@nestjs/config';
import type { LoadSummary } from '../interfaces/load-summary.interface.js';
import { SecretSnapshot } from '../snapshot/secret-snapshot.js';
import { createVaultConfigService, type SnapshotFeed } from './vault-config-service.factory.js';

const summary: LoadSummary = {
  mode: 'vault',
  authMethod: 'token',
  sources: 1,
  keys: 0,
  fromVault: 0,
  fromEnv: 0,
  fromDefaults: 0,
  durationMs: 1,
  startupLogLine: 'Loaded',
};

const snapshotOf = (values: Record<string, unknown>) =>
  new SecretSnapshot<object>(
    Object.entries(values).map(([key, value]) => [
      key,
      { value, description: { key, source: 'vault', mount: 'secret', path: 'app' } },
    ]),
    summary,
  );

/** The runtime's side of the factory: the current snapshot, and a way to install the next. */
function feedOf(initial: Record<string, unknown>) {
  let sink: ((next: ReturnType<typeof snapshotOf>) => void) | undefined;
  const feed: SnapshotFeed = {
    snapshot: snapshotOf(initial),
    onSnapshot: s => (sink = s),
  };
  return { feed, install: (values: Record<string, unknown>) => sink?.(snapshotOf(values)) };
}

/** Every event, with what `get` answered for every key at the moment it was emitted. */
function record(config: ConfigService, keys: string[]) {
  const seen: { event: ConfigChangeEvent; readable: Record<string, unknown> }[] = [];
  config.changes$.subscribe(event => {
    const readable = Object.fromEntries(keys.map(k => [k, config.get<unknown>(k)]));
    seen.push({ event, readable });
  });
  return seen;
}

describe('createVaultConfigService: changes$ on a snapshot swap', () => {
  it('one event per changed, added or removed key, in key order, after every new value is readable', () => {
    const { feed, install } = feedOf({ B_KEY: 'b1', A_KEY: 'a1', SAME: 's', GONE: 'g', PORT: 80 });
    expect(process.env.NEW_KEY).toBeUndefined();
    const config = createVaultConfigService(feed);
    const keys = ['A_KEY', 'B_KEY', 'GONE', 'NEW_KEY', 'PORT', 'SAME'];
    const seen = record(config, keys);

    install({ SAME: 's', B_KEY: 'b2', A_KEY: 'a2', NEW_KEY: 'n', PORT: 8080 });

    expect(seen.map(s => s.event)).toEqual([
      { path: 'A_KEY', oldValue: 'a1', newValue: 'a2' },
      { path: 'B_KEY', oldValue: 'b1', newValue: 'b2' },
      { path: 'GONE', oldValue: 'g', newValue: undefined },
      { path: 'NEW_KEY', oldValue: undefined, newValue: 'n' },
      { path: 'PORT', oldValue: 80, newValue: 8080 },
    ]);
    const after = {
      A_KEY: 'a2',
      B_KEY: 'b2',
      GONE: undefined,
      NEW_KEY: 'n',
      PORT: 8080,
      SAME: 's',
    };
    for (const { readable } of seen) expect(readable).toEqual(after);
    expect(process.env.NEW_KEY).toBeUndefined(); // ConfigService.set would have written it
  });

  it('no event when no value changed (a new snapshot with equal values, objects compared deeply)', () => {
    const { feed, install } = feedOf({ A_KEY: 'a', DB: { host: 'h', port: 5432 } });
    const config = createVaultConfigService(feed);
    const seen = record(config, ['A_KEY']);
    install({ A_KEY: 'a', DB: { host: 'h', port: 5432 } });
    expect(seen).toEqual([]);
    install({ A_KEY: 'a', DB: { host: 'h', port: 6432 } });
    expect(seen.map(s => s.event.path)).toEqual(['DB']);
  });

  it('a ConfigService without the changes$ Subject (older @nestjs/config): values swap, nothing thrown', () => {
    const { feed, install } = feedOf({ A_KEY: 'a1' });
    const config = createVaultConfigService(feed);
    delete (config as unknown as { _changes$?: unknown })._changes$;
    expect(() => install({ A_KEY: 'a2' })).not.toThrow();
    expect(config.get('A_KEY')).toBe('a2');
  });
});
