/** Test-server-only: dynamic database credentials and their leases, without a database. */
import { expect, it } from '@jest/globals';
import { call, describeTargets, uniq } from '../support/contract-helpers.js';
import { memoryTargetHooks } from '../support/memory-target.js';
import type { MemoryServerControl, VaultTarget } from '../support/vault-target.js';

// Exists only on the in-memory server.
describeTargets(
  'test-server-only features',
  kind => {
    let t: VaultTarget;
    let mem: MemoryServerControl;
    memoryTargetHooks(kind, (target, memory) => {
      t = target;
      mem = memory;
    });

    it('issues dynamic database credentials with a renewable lease that expires with the clock', async () => {
      const mount = uniq('database');
      expect(
        (await call(t, 'POST', `sys/mounts/${mount}`, { body: { type: 'database' } })).status,
      ).toBe(204);
      const cfg = await call(t, 'POST', `${mount}/config/pg`, {
        body: {
          plugin_name: 'postgresql-database-plugin',
          connection_url: 'postgresql://{{username}}:{{password}}@127.0.0.1:5432/app',
          allowed_roles: ['app'],
          username: 'admin',
          password: 'admin-password',
        },
      });
      expect(cfg.status).toBeLessThan(300);
      const role = await call(t, 'POST', `${mount}/roles/app`, {
        body: {
          db_name: 'pg',
          creation_statements: ['CREATE ROLE "{{name}}" WITH LOGIN PASSWORD \'{{password}}\';'],
          default_ttl: '1h',
          max_ttl: '2h',
        },
      });
      expect(role.status).toBe(204);
      const creds = await call(t, 'GET', `${mount}/creds/app`);
      expect(creds.status).toBe(200);
      expect(creds.body).toMatchObject({
        lease_id: expect.stringMatching(new RegExp(`^${mount}/creds/app/.+`)),
        renewable: true,
        lease_duration: 3600,
        data: { username: expect.any(String), password: expect.any(String) },
      });
      const leaseId = creds.body.lease_id as string;
      const lookup = await call(t, 'PUT', 'sys/leases/lookup', { body: { lease_id: leaseId } });
      expect(lookup.body.data).toMatchObject({ id: leaseId, renewable: true });
      const renew = await call(t, 'PUT', 'sys/leases/renew', {
        body: { lease_id: leaseId, increment: 7200 },
      });
      expect(renew.status).toBe(200);
      expect(renew.body).toMatchObject({ lease_id: leaseId, renewable: true });
      expect(renew.body.lease_duration).toBeLessThanOrEqual(7200);
      mem.clock.advance(3 * 3600_000);
      const expired = await call(t, 'PUT', 'sys/leases/lookup', { body: { lease_id: leaseId } });
      expect(expired.status).toBe(400);
      expect(expired.body).toEqual({ errors: ['invalid lease'] });
      const second = await call(t, 'GET', `${mount}/creds/app`);
      expect(
        (await call(t, 'PUT', 'sys/leases/revoke', { body: { lease_id: second.body.lease_id } }))
          .status,
      ).toBe(204);
      const revoked = await call(t, 'PUT', 'sys/leases/lookup', {
        body: { lease_id: second.body.lease_id },
      });
      expect(revoked.status).toBe(400);
    });
  },
  ['memory'],
);
