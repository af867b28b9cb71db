import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { call, describeTargets, uniq } from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

// Namespaces are a Vault Enterprise feature (docs: enterprise/namespaces); OpenBao >= 2.3 ships
// them in the open-source server. A Vault CE "external" target is therefore not covered here.
describeTargets(
  'namespaces',
  kind => {
    let t: VaultTarget;
    beforeAll(async () => {
      t = await startTarget(kind);
    });
    afterAll(async () => {
      await t?.stop();
    });

    async function namespaceWithSecret(): Promise<string> {
      const ns = uniq('team');
      const created = await call(t, 'POST', `sys/namespaces/${ns}`, { body: {} });
      expect(created.status).toBe(200);
      expect(created.body.data).toMatchObject({ path: `${ns}/` });
      const header = { 'X-Vault-Namespace': ns };
      const mount = await call(t, 'POST', 'sys/mounts/kv', {
        body: { type: 'kv', options: { version: '2' } },
        headers: header,
      });
      expect(mount.status).toBe(204);
      const write = await call(t, 'POST', 'kv/data/app', {
        body: { data: { who: ns } },
        headers: header,
      });
      expect(write.status).toBe(200);
      return ns;
    }

    it('creates a namespace and lists it', async () => {
      const ns = await namespaceWithSecret();
      const list = await call(t, 'LIST', 'sys/namespaces');
      expect(list.status).toBe(200);
      expect(list.body.data.keys).toContain(`${ns}/`);
    });

    it('reaches the namespace by X-Vault-Namespace header and by path prefix alike', async () => {
      const ns = await namespaceWithSecret();
      const byHeader = await call(t, 'GET', 'kv/data/app', {
        headers: { 'X-Vault-Namespace': `${ns}/` },
      });
      expect(byHeader.status).toBe(200);
      expect(byHeader.body.data.data).toEqual({ who: ns });
      const byPrefix = await call(t, 'GET', `${ns}/kv/data/app`);
      expect(byPrefix.status).toBe(200);
      expect(byPrefix.body.data.data).toEqual({ who: ns });
    });

    it('isolates mounts: the root namespace and a sibling do not see them', async () => {
      const a = await namespaceWithSecret();
      const b = uniq('team');
      expect((await call(t, 'POST', `sys/namespaces/${b}`, { body: {} })).status).toBe(200);
      const fromRoot = await call(t, 'GET', 'kv/data/app');
      expect(fromRoot.status).toBe(404);
      expect(fromRoot.body).toEqual({
        errors: ['no handler for route "kv/data/app". route entry not found.'],
      });
      const fromSibling = await call(t, 'GET', 'kv/data/app', {
        headers: { 'X-Vault-Namespace': b },
      });
      expect(fromSibling.status).toBe(404);
      const rootSecretFromNs = await call(t, 'GET', 'secret/data/x', {
        headers: { 'X-Vault-Namespace': a },
      });
      expect(rootSecretFromNs.status).toBe(404);
      const mounts = await call(t, 'GET', 'sys/mounts', { headers: { 'X-Vault-Namespace': a } });
      expect(mounts.body.data).toHaveProperty('kv/');
      expect(mounts.body.data).not.toHaveProperty('secret/');
    });

    it('answers 404 to an unknown namespace', async () => {
      const res = await call(t, 'GET', 'kv/data/app', {
        headers: { 'X-Vault-Namespace': uniq('nope') },
      });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ errors: ['namespace not found'] });
    });
  },
  ['memory', 'bao'],
);
