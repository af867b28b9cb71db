/**
 * Test-server-only: static-role rotation and PKI expiry follow the server's movable clock, so
 * tests of rotation and re-issue need not wait for real time.
 */
import { X509Certificate } from 'node:crypto';
import { expect, it } from '@jest/globals';
import { call, describeTargets } from '../support/contract-helpers.js';
import { configureStaticRole } from '../support/database-engine.js';
import { memoryTargetHooks } from '../support/memory-target.js';
import { configurePki } from '../support/pki-engine.js';
import type { MemoryServerControl, VaultTarget } from '../support/vault-target.js';

describeTargets(
  'test-server-only features: the clock drives static-role rotation and PKI validity',
  kind => {
    let t: VaultTarget;
    let mem: MemoryServerControl;
    memoryTargetHooks(kind, (target, memory) => {
      t = target;
      mem = memory;
    });

    it('rotates once for any number of elapsed periods, as if on schedule', async () => {
      const app = await configureStaticRole(t, undefined, {
        role: 'clocked',
        username: 'clocked_user',
        rotationPeriod: '1h',
      });
      const first = (await call(t, 'GET', app.credsPath)).body.data;
      expect([3599, 3600]).toContain(first.ttl);
      mem.clock.advance(3.5 * 3600_000);
      const later = (await call(t, 'GET', app.credsPath)).body.data;
      expect(later.password).not.toBe(first.password);
      expect(Date.parse(later.last_vault_rotation) - Date.parse(first.last_vault_rotation)).toBe(
        3 * 3600_000,
      );
      expect(later.ttl).toBeGreaterThanOrEqual(1799);
      expect(later.ttl).toBeLessThanOrEqual(1800);
      const again = (await call(t, 'GET', app.credsPath)).body.data;
      expect(again.password).toBe(later.password);
    });

    it('dates certificates by the server clock and keeps no copy for a no_store role', async () => {
      mem.clock.advance(24 * 3600_000);
      const pki = await configurePki(t, {
        mount: 'pki-clock',
        role: 'r',
        roleBody: { allow_any_name: true, ttl: '10m', no_store: true },
      });
      const issued = (await call(t, 'POST', 'pki-clock/issue/r', { body: { common_name: 'x' } }))
        .body.data;
      const cert = new X509Certificate(issued.certificate);
      // Both were made a moment ago on the server clock, a day (and more) ahead of real time.
      const serverNow = Date.parse(pki.ca.validFrom) + 30_000;
      expect(serverNow - Date.now()).toBeGreaterThan(24 * 3600_000 - 5000);
      expect(Math.abs(Date.parse(cert.validTo) - serverNow - 600_000)).toBeLessThan(3000);
      expect((await call(t, 'GET', `pki-clock/cert/${issued.serial_number}`)).status).toBe(404);
      const revoke = await call(t, 'POST', 'pki-clock/revoke', {
        body: { serial_number: issued.serial_number },
      });
      expect(revoke.status).toBe(400);
    });
  },
  ['memory'],
);
