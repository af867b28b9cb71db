import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { call, describeTargets } from '../support/contract-helpers.js';
import { startTarget, type VaultTarget } from '../support/vault-target.js';

describeTargets('sys/health, seal and unseal', kind => {
  let t: VaultTarget;
  beforeAll(async () => {
    t = await startTarget(kind);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers health without a token: 200 active, unsealed', async () => {
    const res = await call(t, 'GET', 'sys/health', { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      initialized: true,
      sealed: false,
      standby: false,
      replication_performance_mode: 'disabled',
      replication_dr_mode: 'disabled',
      server_time_utc: expect.any(Number),
      version: expect.any(String),
      cluster_name: expect.any(String),
      cluster_id: expect.any(String),
    });
    if (kind === 'bao') {
      // OpenBao differs from Vault: Vault's health body also has `performance_standby` and
      // `enterprise` (api-docs/system/health sample response); OpenBao 2.7 leaves them out.
      expect(res.body).not.toHaveProperty('performance_standby');
    } else {
      expect(res.body.performance_standby).toBe(false);
    }
  });

  it('honours activecode; standbyok/sealedcode/uninitcode do not change an active answer', async () => {
    expect((await call(t, 'GET', 'sys/health?activecode=299', { token: null })).status).toBe(299);
    for (const q of ['standbyok=true', 'sealedcode=599', 'uninitcode=598', 'perfstandbyok=true']) {
      expect((await call(t, 'GET', `sys/health?${q}`, { token: null })).status).toBe(200);
    }
  });

  it('answers HEAD with the status and no body', async () => {
    const res = await fetch(`${t.url}/v1/sys/health?activecode=218`, { method: 'HEAD' });
    expect(res.status).toBe(218);
    expect(await res.text()).toBe('');
  });

  it('reports seal status without a token', async () => {
    const res = await call(t, 'GET', 'sys/seal-status', { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      type: 'shamir',
      initialized: true,
      sealed: false,
      t: 1,
      n: 1,
      progress: 0,
      nonce: '',
      version: expect.any(String),
    });
  });

  (hasUnsealKey() ? it : it.skip)(
    'seals (503 Vault is sealed elsewhere, health 503 / sealedcode) and unseals with the key',
    async () => {
      const seal = await call(t, 'PUT', 'sys/seal');
      expect(seal.status).toBe(204);
      try {
        for (const [method, path] of [
          ['GET', 'secret/data/x'],
          ['GET', 'auth/token/lookup-self'],
          ['GET', 'sys/mounts'],
        ]) {
          const res = await call(t, method, path);
          expect(res.status).toBe(503);
          expect(res.body).toEqual({ errors: ['Vault is sealed'] });
        }
        const status = await call(t, 'GET', 'sys/seal-status', { token: null });
        expect(status.status).toBe(200);
        expect(status.body).toMatchObject({ sealed: true, t: 1, n: 1, progress: 0 });
        const health = await call(t, 'GET', 'sys/health', { token: null });
        expect(health.status).toBe(503);
        expect(health.body).toMatchObject({ initialized: true, sealed: true });
        expect((await call(t, 'GET', 'sys/health?sealedcode=299', { token: null })).status).toBe(
          299,
        );
        const bad = await call(t, 'PUT', 'sys/unseal', { token: null, body: { key: 'AAAA' } });
        expect(bad.status).toBe(400);
      } finally {
        const unseal = await call(t, 'PUT', 'sys/unseal', {
          token: null,
          body: { key: t.unsealKey },
        });
        expect(unseal.status).toBe(200);
        expect(unseal.body).toMatchObject({ sealed: false, progress: 0 });
      }
      expect((await call(t, 'GET', 'sys/mounts')).status).toBe(200);
    },
  );

  function hasUnsealKey(): boolean {
    // memory and bao always know their unseal key; an external Vault only with VAULT_UNSEAL_KEY.
    return kind !== 'external' || Boolean(process.env.VAULT_UNSEAL_KEY);
  }
});
