/**
 * VaultConfigModule on a real 3-node OpenBao cluster (integrated storage) with
 * `address: [active, standby, standby]`: the active node is killed (kill -9) while a route reads
 * the secret every 100 ms. No read fails (last known good), a secret rotated once the new leader is
 * elected is served (and the old value never again), /health is up again and names the address in
 * use. Then an app boots with the first address down, and `doctor` reports each address. How long
 * each step takes (election, rotated value served, health back) is measured by
 * bench/cluster-failover.bench.mjs, not asserted here. Slow (a cluster starts in ≈ 10 s): runs only
 * when VAULT_TEST_TARGETS includes `bao` (`npm run test:real` in CI, once).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { VaultConfigModuleSettings } from 'nestjs-vault-config';
import { startBaoCluster, type BaoCluster, type BaoClusterNode } from '../support/bao-cluster.js';
import { canary, expectNoCanary } from '../support/canary.js';
import { cli, plantedInCliOutput, tempDir } from '../support/cli-support.js';
import { bootFailoverApp, digest, pollSecret } from '../support/failover-app.js';
import { getHealth } from '../support/health-app.js';
import { eventually } from '../support/lifecycle-support.js';
import { CapturingLogger } from '../support/module-support.js';
import { selectedTargets } from '../support/vault-target.js';

const INTERVAL_MS = 1000;
const onBao = selectedTargets().includes('bao');

(onBao ? describe : describe.skip)('VaultConfigModule on a 3-node OpenBao cluster', () => {
  const { canaries, tokens } = plantedInCliOutput();
  let cluster: BaoCluster;
  let killed: BaoClusterNode | undefined;
  let rotated: string;
  const logger = new CapturingLogger();
  const outputs: string[] = [];
  const apps: INestApplication[] = [];
  /** Pollers still running when a test failed: stopped in afterAll, or Jest waits for them. */
  const running: { stop(): Promise<unknown> }[] = [];
  const approle = { roleId: '', secretId: '' };

  const root = async (node: BaoClusterNode, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${node.url}/v1/${path}`, {
      method,
      headers: { 'X-Vault-Token': cluster.rootToken, 'Content-Type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? (JSON.parse(text) as { data: Record<string, string> }) : undefined;
  };
  const boot = async (address: string[], settings: Partial<VaultConfigModuleSettings> = {}) => {
    const app = await bootFailoverApp(
      {
        address,
        auth: { method: 'approle', roleId: approle.roleId, secretId: approle.secretId },
        sources: [{ mount: 'secret', path: 'failover', kv: 2 }],
        required: ['K'],
        envFallback: false,
        timeoutMs: 1000,
        retry: { attempts: 3, minDelayMs: 50, maxDelayMs: 200 },
        refresh: { intervalMs: INTERVAL_MS, jitter: 0 },
        healthCacheMs: 200,
        ...settings,
      },
      logger,
    );
    apps.push(app);
    return app;
  };

  /** GET /health every 100 ms: whether it has been up at an address other than `gone`. */
  const watchHealth = (app: INestApplication, gone: string) => {
    const probes: { status: number; address: unknown }[] = [];
    const watch = { upElsewhere: false, stop: async () => probes };
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        const { status, body } = await getHealth(app, outputs);
        const address = body.details.vault?.address;
        probes.push({ status, address });
        if (status === 200 && address !== gone) watch.upElsewhere = true;
        await new Promise(r => setTimeout(r, 100));
      }
    })();
    watch.stop = async () => {
      stopped = true;
      await loop;
      return probes;
    };
    return watch;
  };

  beforeAll(async () => {
    cluster = await startBaoCluster();
    tokens.push(cluster.rootToken);
    const active = await cluster.waitForActive();
    await root(active, 'POST', 'sys/auth/approle', { type: 'approle' });
    await root(active, 'PUT', 'sys/policies/acl/failover', {
      policy: 'path "secret/data/failover" { capabilities = ["read"] }',
    });
    await root(active, 'POST', 'auth/approle/role/failover', {
      token_policies: ['failover'],
      token_ttl: '1h',
    });
    approle.roleId = (await root(
      active,
      'GET',
      'auth/approle/role/failover/role-id',
    ))!.data.role_id;
    approle.secretId = (await root(
      active,
      'POST',
      'auth/approle/role/failover/secret-id',
      {},
    ))!.data.secret_id;
    tokens.push(approle.secretId);
  }, 60_000);
  afterAll(async () => {
    for (const loop of running) await loop.stop();
    for (const app of apps) await app.close().catch(() => undefined);
    await cluster?.stop();
    expectNoCanary([...outputs, ...logger.lines], [...canaries, ...tokens]);
  }, 30_000);

  it('the active node is killed: no failed read, the rotated secret served within 2 intervals of the new leader, /health up at the next address', async () => {
    const active = await cluster.waitForActive();
    const standbys = cluster.nodes.filter(n => n !== active);
    const value = canary('cluster-v1');
    rotated = canary('cluster-v2');
    canaries.push(value, rotated);
    await root(active, 'POST', 'secret/data/failover', { data: { K: value } });
    // Standbys read their own replica: wait until they have the secret before the app relies on it.
    for (const s of standbys) {
      expect(
        await eventually(
          () =>
            root(s, 'GET', 'secret/data/failover').then(
              () => true,
              () => false,
            ),
          5000,
        ),
      ).toBe(true);
    }
    const app = await boot([active.url, ...standbys.map(s => s.url)]);
    expect((await getHealth(app, outputs)).body.details.vault).toMatchObject({
      status: 'up',
      address: active.url,
    });
    const poller = pollSecret(app, 100);
    running.push(poller);
    expect(await eventually(() => poller.reads.length >= 3, 2000)).toBe(true);

    killed = active;
    const health = watchHealth(app, active.url);
    running.push(health);
    await cluster.kill(active);
    const leader = await cluster.waitForActive(15_000, standbys);
    await eventually(
      () =>
        root(leader, 'POST', 'secret/data/failover', { data: { K: rotated } }).then(
          () => true,
          () => false,
        ),
      5000,
    );
    expect(await poller.firstServed(digest(rotated), 20 * INTERVAL_MS)).toBeDefined();
    expect(await eventually(() => health.upElsewhere, 20 * INTERVAL_MS)).toBe(true);
    const { status, body } = await getHealth(app, outputs);
    const reads = await poller.stop();
    await health.stop();
    expect(status).toBe(200);
    expect(standbys.map(s => s.url)).toContain(body.details.vault.address);
    expect(body.details.vault).toMatchObject({
      status: 'degraded',
      reason: 'failover',
      sealed: false,
    });
    expect(reads.filter(r => r.status !== 200)).toEqual([]);
    const digests = reads.map(r => r.digest);
    expect(new Set(digests)).toEqual(new Set([digest(value), digest(rotated)]));
    expect(digests.slice(digests.indexOf(digest(rotated)))).not.toContain(digest(value));
  }, 40_000);

  it('an app boots with the first address down', async () => {
    expect(killed).toBeDefined();
    const survivors = cluster.nodes.filter(n => n !== killed);
    const others = survivors.map(n => n.url);
    // OpenBao standbys read their own replica: let both have the rotation before booting on one.
    const hasRotation = (n: BaoClusterNode) =>
      root(n, 'GET', 'secret/data/failover').then(
        r => (r?.data as unknown as { data?: { K?: string } })?.data?.K === rotated,
        () => false,
      );
    for (const n of survivors) expect(await eventually(() => hasRotation(n), 5000)).toBe(true);
    const app = await boot([killed!.url, ...others]);
    const res = await fetch(`${await app.getUrl()}/secret`);
    expect(await res.json()).toEqual({ digest: digest(rotated) });
    const { status, body } = await getHealth(app, outputs);
    expect(status).toBe(200);
    // Usually the second address; the third when the second could not take a request yet (a
    // standby still connecting to the new leader answers a forwarded login with a redirect).
    expect(others).toContain(body.details.vault.address);
  }, 20_000);

  it('doctor reports each address: unreachable, active, standby', async () => {
    expect(killed).toBeDefined();
    const { dir, cleanup } = tempDir();
    try {
      const ordered = [killed!, ...cluster.nodes.filter(n => n !== killed)];
      const r = await cli(
        ['doctor', ...ordered.flatMap(n => ['--address', n.url]), '--path', 'failover', '--json'],
        { env: { VAULT_TOKEN: cluster.rootToken, HOME: dir }, cwd: dir },
      );
      const checks = (
        JSON.parse(r.stdout) as { checks: { check: string; status: string; detail: string }[] }
      ).checks;
      expect(r.code).toBe(0);
      expect(checks[0]).toMatchObject({
        check: 'address[0]',
        status: 'warn',
        detail: `${killed!.url} unreachable (ECONNREFUSED)`,
      });
      const roles = checks.slice(1, 3).map(c => /^\S+ (active|standby)/.exec(c.detail)?.[1]);
      expect(roles.sort()).toEqual(['active', 'standby']);
      expect(checks.slice(1, 3).map(c => c.status)).toEqual(['ok', 'ok']);
      expect(checks.find(c => c.check === 'read secret/failover')).toMatchObject({ status: 'ok' });
    } finally {
      cleanup();
    }
  }, 20_000);
});
