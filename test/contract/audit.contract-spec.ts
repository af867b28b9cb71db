import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { call, describeTargets, kv2Write, uniq } from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

const HMAC = /^hmac-sha256:[0-9a-f]{64}$/;

// An external Vault writes the audit file on its own host, so only local targets are covered.
describeTargets(
  'file audit device',
  kind => {
    let t: VaultTarget;
    let dir: string;
    beforeAll(async () => {
      t = await startTarget(kind);
      dir = mkdtempSync(join(tmpdir(), 'audit-contract-'));
    });
    afterAll(async () => {
      await t?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('logs one JSON line per request and response, secrets only as HMACs that audit-hash reproduces', async () => {
      const file = join(dir, 'audit.log');
      const name = uniq('file');
      const enable = await call(t, 'PUT', `sys/audit/${name}`, {
        body: { type: 'file', options: { file_path: file } },
      });
      expect(enable.status).toBe(204);
      const listed = await call(t, 'GET', 'sys/audit');
      expect(listed.body.data[`${name}/`]).toMatchObject({
        type: 'file',
        options: { file_path: file },
      });
      const again = await call(t, 'PUT', `sys/audit/${name}`, {
        body: { type: 'file', options: { file_path: file } },
      });
      expect(again.status).toBe(400);

      const canary = `canary-${uniq('value')}`;
      const path = uniq('audited');
      await kv2Write(t, 'secret', path, { c: canary });
      expect((await call(t, 'GET', `secret/data/${path}`)).body.data.data.c).toBe(canary);

      const hash = await call(t, 'POST', `sys/audit-hash/${name}`, { body: { input: canary } });
      expect(hash.status).toBe(200);
      expect(hash.body.data.hash).toMatch(HMAC);
      const unknown = await call(t, 'POST', `sys/audit-hash/${uniq('nope')}`, {
        body: { input: 'x' },
      });
      expect(unknown.status).toBe(400);

      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(canary);
      const lines = text.split('\n').filter(Boolean);
      const entries = lines.map(line => JSON.parse(line));
      for (const e of entries) {
        expect(['request', 'response']).toContain(e.type);
        expect(e.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
        expect(typeof e.request.path).toBe('string');
        if (e.auth?.client_token !== undefined) expect(e.auth.client_token).toMatch(HMAC);
        if (e.request.client_token !== undefined) expect(e.request.client_token).toMatch(HMAC);
      }
      const forPath = entries.filter(e => e.request.path === `secret/data/${path}`);
      const read = forPath.filter(e => e.request.operation === 'read');
      expect(read.map(e => e.type)).toEqual(['request', 'response']);
      expect(read[0].request.id).toBe(read[1].request.id);
      expect(read[1].auth.client_token).toMatch(HMAC);
      expect(read[1].auth.policies).toEqual(['root']);
      expect(read[1].request.remote_address).toBe('127.0.0.1');
      expect(read[1].response.data.data.c).toBe(hash.body.data.hash);
      const write = forPath.filter(
        e => e.request.operation === 'update' || e.request.operation === 'create',
      );
      expect(write.map(e => e.type)).toEqual(['request', 'response']);
      expect(write[0].request.data.data.c).toBe(hash.body.data.hash);

      expect((await call(t, 'DELETE', `sys/audit/${name}`)).status).toBe(204);
      expect((await call(t, 'GET', 'sys/audit')).body.data).not.toHaveProperty(`${name}/`);
    });
  },
  ['memory', 'bao'],
);
