import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { FileAuditDevice, type AuditAuth, type AuditRequest } from './index.js';

const SECRET = 'CANARY-SECRET-3f9a1c';
const TOKEN = 's.CANARYTOKEN0123456789';
const ACCESSOR = 'CANARYACCESSOR42';
const NEW_TOKEN = 's.NEWLYMINTEDTOKEN987';

const dir = mkdtempSync(join(tmpdir(), 'audit-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let file: string;
let counter = 0;
beforeEach(() => {
  file = join(dir, `audit-${++counter}.log`);
});

const auth: AuditAuth = {
  clientToken: TOKEN,
  accessor: ACCESSOR,
  policies: ['default', 'app'],
  tokenPolicies: ['default', 'app'],
  metadata: { role_name: 'billing' },
  displayName: 'approle',
  entityId: 'entity-1',
  tokenType: 'service',
};
const request: AuditRequest = {
  id: 'req-1',
  operation: 'update',
  path: 'secret/data/app',
  data: { data: { password: SECRET, port: 5432, tls: true, none: null, list: ['a', 7] } },
  remoteAddress: '127.0.0.1',
  namespace: '',
  mountType: 'kv',
  clientToken: TOKEN,
};

function lines(path = file): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map(line => JSON.parse(line) as Record<string, unknown>);
}

describe('FileAuditDevice', () => {
  it('hashes like Vault: hmac-sha256 of the input keyed by the salt', () => {
    const salt = Buffer.from('0123456789abcdef0123456789abcdef');
    const device = new FileAuditDevice({ filePath: file, salt });
    const expected = createHmac('sha256', salt).update(SECRET).digest('hex');
    expect(device.hash(SECRET)).toBe(`hmac-sha256:${expected}`);
    expect(device.hash(SECRET)).toBe(device.hash(SECRET));
    expect(device.hash(SECRET)).not.toBe(device.hash('other'));
  });

  it('uses a fresh random salt per device by default', () => {
    const a = new FileAuditDevice({ filePath: file });
    const b = new FileAuditDevice({ filePath: file });
    expect(a.hash(SECRET)).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(a.hash(SECRET)).not.toBe(b.hash(SECRET));
  });

  it('writes a request line with Vault field names, hashing tokens and data but not metadata', () => {
    const device = new FileAuditDevice({ filePath: file });
    device.logRequest(auth, request);
    const [line] = lines();
    const h = (s: string) => device.hash(s);
    expect(Object.keys(line ?? {})).toEqual(['time', 'type', 'auth', 'request']);
    expect(new Date(line?.['time'] as string).toISOString()).toBe(line?.['time']);
    expect(line).toMatchObject({
      type: 'request',
      auth: {
        client_token: h(TOKEN),
        accessor: h(ACCESSOR),
        display_name: 'approle',
        policies: ['default', 'app'],
        token_policies: ['default', 'app'],
        metadata: { role_name: 'billing' },
        entity_id: 'entity-1',
        token_type: 'service',
      },
      request: {
        id: 'req-1',
        operation: 'update',
        mount_type: 'kv',
        client_token: h(TOKEN),
        client_token_accessor: h(ACCESSOR),
        namespace: { id: 'root' },
        path: 'secret/data/app',
        data: {
          data: { password: h(SECRET), port: 5432, tls: true, none: null, list: [h('a'), 7] },
        },
        remote_address: '127.0.0.1',
      },
    });
  });

  it('writes a response line with hashed data and response auth, and the error in clear', () => {
    const device = new FileAuditDevice({ filePath: file });
    device.logResponse(
      auth,
      { ...request, operation: 'read', data: undefined },
      {
        statusCode: 200,
        data: { data: { password: SECRET }, metadata: { version: 3 } },
        auth: {
          client_token: NEW_TOKEN,
          accessor: 'new-accessor',
          policies: ['app'],
          token_policies: ['app'],
          metadata: { team: 'x' },
          lease_duration: 60,
          renewable: true,
          token_type: 'service',
        },
        warnings: ['heads up'],
      },
      'permission denied',
    );
    const [line] = lines();
    const h = (s: string) => device.hash(s);
    expect(Object.keys(line ?? {})).toEqual([
      'time',
      'type',
      'auth',
      'request',
      'response',
      'error',
    ]);
    expect(line?.['request']).not.toHaveProperty('data');
    expect(line).toMatchObject({
      type: 'response',
      response: {
        auth: {
          client_token: h(NEW_TOKEN),
          accessor: h('new-accessor'),
          policies: ['app'],
          token_policies: ['app'],
          metadata: { team: 'x' },
          token_type: 'service',
        },
        mount_type: 'kv',
        data: { data: { password: h(SECRET) }, metadata: { version: 3 } },
        warnings: ['heads up'],
      },
      error: 'permission denied',
    });
  });

  it('never writes a secret, token or accessor in clear (canary), but does write their hashes', () => {
    const device = new FileAuditDevice({ filePath: file });
    device.logRequest(auth, request);
    device.logResponse(auth, request, {
      statusCode: 200,
      data: { nested: [{ deeper: { value: SECRET } }], plainKey: 1 },
      auth: { client_token: NEW_TOKEN },
    });
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(2);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(NEW_TOKEN);
    expect(text).not.toContain(ACCESSOR);
    expect(text).not.toContain(SECRET);
    expect(text).toContain(device.hash(SECRET));
    expect(text).toContain(device.hash(TOKEN));
    // Like Vault, keys are never hashed: only values are secret.
    expect(text).toContain('"plainKey":1');
  });

  it('describes an unauthenticated request without inventing fields, under a non-root namespace', () => {
    const device = new FileAuditDevice({ filePath: file });
    device.logRequest(
      { tokenType: 'default' },
      { id: 'r', operation: 'read', path: 'x', remoteAddress: '::1', namespace: 'team-a' },
      'permission denied',
    );
    expect(lines()[0]).toEqual({
      time: expect.any(String),
      type: 'request',
      auth: { token_type: 'default' },
      request: {
        id: 'r',
        operation: 'read',
        namespace: { id: 'team-a', path: 'team-a/' },
        path: 'x',
        remote_address: '::1',
      },
      error: 'permission denied',
    });
  });

  it('appends to an existing file and creates it private to the owner', () => {
    const device = new FileAuditDevice({ filePath: file });
    device.logRequest(auth, request);
    new FileAuditDevice({ filePath: file }).logRequest(auth, request);
    expect(lines()).toHaveLength(2);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps hostile keys as data and survives deep or odd values', () => {
    const device = new FileAuditDevice({ filePath: file });
    let deep: unknown = SECRET;
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    const data = JSON.parse(
      '{"__proto__": {"polluted": "yes"}, "constructor": "c", "a.b": "dotted"}',
    );
    Object.assign(data, { deep, big: 10n, when: new Date(0), buf: Buffer.from(SECRET) });
    device.logRequest(auth, { ...request, data });
    const logged = (lines()[0]?.['request'] as Record<string, Record<string, unknown>>)['data'];
    expect(Object.keys(logged ?? {})).toEqual([
      '__proto__',
      'constructor',
      'a.b',
      'deep',
      'big',
      'when',
      'buf',
    ]);
    expect(logged?.['constructor']).toBe(device.hash('c'));
    expect(logged?.['when']).toBe('1970-01-01T00:00:00.000Z');
    expect(logged?.['big']).toBe(device.hash('10'));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(readFileSync(file, 'utf8')).not.toContain(SECRET);
  });

  it('does not reveal its salt through inspect or JSON', () => {
    const salt = Buffer.from('a-very-recognisable-salt-value!!');
    const device = new FileAuditDevice({ filePath: file, salt });
    const shown = inspect(device, { depth: 5, showHidden: true }) + JSON.stringify(device);
    expect(shown).not.toContain('recognisable');
    expect(shown).not.toContain(salt.toString('hex'));
    expect(shown).toContain(file);
  });
});
