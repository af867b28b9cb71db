/**
 * Recovery follows Vault, not the backoff: after a long outage the app serves a rotated secret soon
 * after Vault answers again (not at the backoff's next step, seconds later), while it sends about
 * one request per interval during the outage; a refresh hanging on a dead socket counts as failing.
 * The recovery lag itself is measured in bench/outage-recovery.bench.mjs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SecretsService, VaultConfigModule } from 'nestjs-vault-config';
import { VAULT_SECRETS_RUNTIME } from '../../libs/vault-config/src/nest/vault-config.constants.js';
import type { VaultSecretsRuntime } from '../../libs/vault-config/src/runtime/vault-secrets-runtime.js';
import { canary } from '../support/canary.js';
import { writeKv2 } from '../support/contract-helpers.js';
import { eventually, sleep } from '../support/lifecycle-support.js';
import { CapturingLogger } from '../support/module-support.js';
import { startOutageProxy, type OutageProxy } from '../support/outage-proxy.js';
import { selectedTargets, startTarget, type VaultTarget } from '../support/vault-target.js';

const INTERVAL_MS = Number(process.env.REFRESH_INTERVAL_MS ?? 500);
const JITTER = 0.1;
// Long enough that the old backoff (interval × 2ⁿ: attempts 0.5, 1.5, 3.5, 7.5, 15.5 s into the
// outage) would notice Vault's return only ≈ 7 s late.
const OUTAGE_MS = Number(process.env.OUTAGE_MS ?? 8000);

describe.each(selectedTargets())('recovery after an outage (%s)', kind => {
  let target: VaultTarget;
  let proxy: OutageProxy;

  beforeAll(async () => {
    target = await startTarget(kind);
    proxy = await startOutageProxy(target.url);
  });
  afterAll(async () => {
    await proxy?.stop();
    await target?.stop();
  });

  async function boot(path: string, scheduled = true) {
    @Module({
      imports: [
        VaultConfigModule.forRoot({
          address: proxy.url,
          auth: { method: 'token', token: target.rootToken },
          timeoutMs: 1000,
          retry: { attempts: 2, minDelayMs: 20, maxDelayMs: 50 },
          sources: [{ mount: 'secret', path }],
          ...(scheduled ? { refresh: { intervalMs: INTERVAL_MS, jitter: JITTER } } : {}),
        }),
      ],
    })
    class AppModule {}
    const app = await Test.createTestingModule({ imports: [AppModule] })
      .setLogger(new CapturingLogger())
      .compile();
    await app.init();
    return app;
  }

  it(`serves a rotated secret soon after Vault's return after ${OUTAGE_MS} ms down`, async () => {
    await writeKv2(target, 'outage/app', { OUTAGE_VALUE: canary('before') });
    const app = await boot('outage/app');
    try {
      const secrets = app.get(SecretsService);
      await sleep(1200); // after the token's lookup (1 s after boot): only the refresh talks now
      proxy.cut();
      await sleep(OUTAGE_MS);
      const sent = proxy.attempts;
      const rotated = canary('after');
      await writeKv2(target, 'outage/app', { OUTAGE_VALUE: rotated }); // straight to Vault
      proxy.restore();
      // The old backoff (attempts 0.5, 1.5, 3.5, 7.5, 15.5 s into the outage) would next knock
      // ≈ 7 s after Vault's return; a refresh that follows Vault gets there well inside this wait.
      // How fast exactly is measured by bench/outage-recovery.bench.mjs, not asserted here.
      expect(await eventually(() => secrets.get('OUTAGE_VALUE') === rotated, 5000)).toBe(true);
      // About one request per interval: the refresh that met the outage (2 attempts), then one
      // sys/health per interval.
      expect(sent).toBeLessThanOrEqual(OUTAGE_MS / (INTERVAL_MS * (1 - JITTER)) + 3);
    } finally {
      await app.close();
    }
  });

  it('a refresh hanging on a dead socket counts as failing once it outlasts timeoutMs', async () => {
    await writeKv2(target, 'outage/hang', { HANG_VALUE: canary('hang') });
    const app = await boot('outage/hang', false); // only the refresh of this test runs
    try {
      const runtime = app.get<VaultSecretsRuntime>(VAULT_SECRETS_RUNTIME);
      expect(runtime.refreshFailing).toBe(false);
      proxy.hang();
      await sleep(100); // the pooled sockets the proxy reset are dropped by now
      const refresh = app
        .get(SecretsService)
        .refresh()
        .catch(() => undefined);
      await sleep(400);
      expect({ failing: runtime.refreshFailing, status: runtime.status() }).toMatchObject({
        failing: false, // in flight, but not for long yet
      });
      await sleep(900);
      expect(runtime.refreshFailing).toBe(true); // longer than timeoutMs (1000 ms)
      proxy.restore();
      await refresh;
    } finally {
      await app.close();
    }
  });
});
