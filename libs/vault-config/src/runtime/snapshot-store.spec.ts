import { describe, expect, it } from '@jest/globals';
import type { LoadMode } from '../interfaces/load-summary.interface.js';
import type { SecretsChangedEvent } from '../interfaces/secrets-changed-event.interface.js';
import { validateVaultConfigOptions } from '../options/validate-vault-config-options.js';
import { assembleSnapshot, type AssembledSecrets } from '../snapshot/assemble-snapshot.js';
import { RecordingLogger } from '../utils/recording-logger.spec-helpers.js';
import { SnapshotStore, type Snapshot } from './snapshot-store.js';

const CANARY_V1 = 'canary-store-v1-6d0b41';
const CANARY_V2 = 'canary-store-v2-93ac7e';

function expectNoCanary(logger: RecordingLogger): void {
  for (const { message } of logger.calls) {
    expect(message).not.toContain(CANARY_V1);
    expect(message).not.toContain(CANARY_V2);
  }
}

const resolved = validateVaultConfigOptions(
  {
    address: 'http://127.0.0.1:8200',
    auth: { method: 'token', token: 'unused' },
    sources: [{ mount: 'secret', path: 'app' }],
    envFallback: false,
    defaults: { LOG_LEVEL: 'info' },
  },
  {},
);

/** What a load of `secret/app` at KV v2 `version` with `data` assembles to. */
function assembled(
  data: Record<string, string> | undefined,
  version = 1,
  mode: LoadMode = 'vault',
): Promise<AssembledSecrets<Record<string, unknown>>> {
  const source = resolved.sources[0];
  const results = data ? [{ source, found: true, kvVersion: 2 as const, version, data }] : [];
  return assembleSnapshot({ resolved, results, mode, env: {}, check: undefined, startedAt: 0 });
}

/** A store with a sink and a listener that record what they saw, in order. */
function storeWith(initial: AssembledSecrets<Record<string, unknown>>) {
  const logger = new RecordingLogger();
  const store = new SnapshotStore(initial, logger);
  const seen: string[] = [];
  const sunk: Snapshot[] = [];
  const events: SecretsChangedEvent[] = [];
  store.onSnapshot(snapshot => {
    sunk.push(snapshot);
    seen.push('sink');
  });
  store.onChange(event => {
    events.push(event);
    seen.push(`listener saw ${String(sunk.at(-1)?.get('API_KEY'))}`);
  });
  return { logger, store, seen, sunk, events };
}

describe('SnapshotStore', () => {
  it('keeps the snapshot and tells no one when nothing changed', async () => {
    const initial = await assembled({ API_KEY: CANARY_V1 });
    const { logger, store, seen } = storeWith(initial);
    const changes = store.install(await assembled({ API_KEY: CANARY_V1 }), 'refresh');
    expect(changes).toEqual([]);
    expect(store.snapshot).toBe(initial.snapshot);
    expect(seen).toEqual([]);
    expect(logger.calls).toEqual([]);
  });

  it('a change: new snapshot to sinks first, then listeners; one log line of key names', async () => {
    const initial = await assembled({ API_KEY: CANARY_V1, OLD: 'x', SAME: 's' });
    const { logger, store, seen, events } = storeWith(initial);
    const next = await assembled({ API_KEY: CANARY_V2, SAME: 's', NEW: 'n' }, 2);
    const changes = store.install(next, 'lease');
    expect(store.snapshot).toBe(next.snapshot);
    expect(store.snapshot.get('API_KEY')).toBe(CANARY_V2);
    expect(seen).toEqual(['sink', `listener saw ${CANARY_V2}`]);
    expect(changes.map(c => `${c.key} ${c.change}`)).toEqual([
      'API_KEY updated',
      'NEW added',
      'OLD removed',
    ]);
    expect(changes[0]).toMatchObject({ previousVersion: 1, version: 2, path: 'app' });
    expect(events).toEqual([{ reason: 'lease', changes, at: expect.any(Date) }]);
    expect(logger.calls).toEqual([
      {
        level: 'log',
        message: 'Vault secrets changed (lease): 3 key(s): API_KEY updated, NEW added, OLD removed',
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(CANARY_V2);
    expectNoCanary(logger);
  });

  it('a new KV version with the same values is swapped in (its description) without an event', async () => {
    const { logger, store, seen, events } = storeWith(await assembled({ API_KEY: 'a' }, 1));
    const next = await assembled({ API_KEY: 'a' }, 2);
    expect(store.install(next, 'refresh')).toEqual([]);
    expect(store.snapshot).toBe(next.snapshot);
    expect(store.snapshot.describe().find(d => d.key === 'API_KEY')?.version).toBe(2);
    expect(seen).toEqual(['sink']);
    expect(events).toEqual([]);
    expect(logger.calls).toEqual([]);
  });

  it('a new load mode with the same values (fallback → vault) is swapped in without an event', async () => {
    const fallback = await assembled(undefined, 1, 'fallback');
    const { store, seen, events } = storeWith(fallback);
    const next = await assembled(undefined, 1, 'vault');
    expect(store.install(next, 'refresh')).toEqual([]);
    expect(store.snapshot.summary.mode).toBe('vault');
    expect(store.snapshot.get('LOG_LEVEL')).toBe('info');
    expect(seen).toEqual(['sink']);
    expect(events).toEqual([]);
  });

  it('a listener that throws is contained: logged by class name only; the others still run', async () => {
    const { logger, store, events } = storeWith(await assembled({ API_KEY: CANARY_V1 }));
    store.onChange(() => {
      throw new TypeError(`cannot use ${CANARY_V2}`);
    });
    const after: string[] = [];
    store.onChange(e => after.push(e.reason));
    const changes = store.install(await assembled({ API_KEY: CANARY_V2 }, 2), 'refresh');
    expect(changes).toHaveLength(1);
    expect(events).toHaveLength(1);
    expect(after).toEqual(['refresh']);
    expect(logger.calls.filter(c => c.level === 'error')).toEqual([
      { level: 'error', message: 'A secrets-changed listener threw (TypeError)' },
    ]);
    expectNoCanary(logger);
  });

  it('onChange() returns an unsubscribe; an unsubscribed listener is not called', async () => {
    const store = new SnapshotStore(await assembled({ API_KEY: 'a' }));
    const calls: string[] = [];
    const unsubscribe = store.onChange(() => calls.push('removed'));
    store.onChange(() => calls.push('kept'));
    unsubscribe();
    store.install(await assembled({ API_KEY: 'b' }, 2), 'refresh');
    expect(calls).toEqual(['kept']);
  });
});
