/**
 * VaultConfigModule with `address: [n0, n1, n2]` against three in-memory test servers standing in
 * for the nodes of a cluster (each has the same token and secret; a rotation is written to each).
 * The node in use goes away — stopped (refused), sealed (503) or too slow (timeout) — while a route
 * reads the secret every 50 ms: no read fails, no refresh fails, a rotated secret is served by the
 * first refresh that reads it on the next node, /health is up and names the next address, and a
 * node that comes back is not used again (sticky). A boot with the first address down works; a
 * login that may have reached a node is not sent to another one. Canaries never reach logs, health
 * bodies or errors. How soon the rotated secret is served is measured in
 * bench/cluster-failover.bench.mjs, not asserted here.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { VaultUnavailableError, type VaultConfigModuleSettings } from 'nestjs-vault-config';
import { VaultTestServer } from 'nestjs-vault-config-testing';
import { canary, expectNoCanary } from '../support/canary.js';
import { bootFailoverApp, digest, pollSecret } from '../support/failover-app.js';
import { getHealth } from '../support/health-app.js';
import { eventually } from '../support/lifecycle-support.js';
import { CapturingLogger, renderError } from '../support/module-support.js';

const INTERVAL_MS = 500;
const TOKEN = canary('failover-token');
const ROLE_ID = canary('failover-role');
const SECRET_ID = canary('failover-secret-id');

describe('VaultConfigModule with several addresses (three test servers)', () => {
  let nodes: VaultTestServer[];
  let logger: CapturingLogger;
  const apps: INestApplication[] = [];
  const pollers: ReturnType<typeof pollSecret>[] = [];
  const outputs: string[] = [];
  const canaries: string[] = [TOKEN, ROLE_ID, SECRET_ID];
  let value: string;

  const fresh = () => {
    const v = canary('failover-value');
    canaries.push(v);
    return v;
  };
  /** Writes K to every node (they are independent servers, not a replicated cluster). */
  const writeEverywhere = async (v: string, on: VaultTestServer[] = nodes) => {
    for (const n of on) {
      const res = await fetch(`${n.url}/v1/secret/data/failover`, {
        method: 'POST',
        headers: { 'X-Vault-Token': n.rootToken, 'Content-Type': 'application/json' },
        body: JSON.stringify({ data: { K: v } }),
      });
      expect(res.status).toBe(200);
    }
  };
  const reachable = (n: VaultTestServer) =>
    fetch(`${n.url}/v1/sys/health`).then(
      r => r.arrayBuffer().then(() => true),
      () => false,
    );

  beforeAll(async () => {
    const role = { role_id: ROLE_ID, secret_id: SECRET_ID, token_ttl: '1h' };
    const approle = { roles: { app: { ...role, token_policies: ['failover-read'] } } };
    const policies = { 'failover-read': 'path "secret/data/failover" { capabilities = ["read"] }' };
    nodes = await Promise.all(
      [0, 1, 2].map(() =>
        VaultTestServer.start({
          seed: {
            tokens: [{ id: TOKEN, ttl: '1h', policies: ['root'] }],
            policies,
            auth: { approle },
          },
        }),
      ),
    );
  });
  beforeEach(async () => {
    logger = new CapturingLogger();
    for (const n of nodes) {
      n.faults.clear();
      n.unseal();
      if (!(await reachable(n))) await n.restart();
    }
    value = fresh();
    await writeEverywhere(value);
    for (const n of nodes) n.resetStats();
  });
  afterEach(async () => {
    // A failed test leaves its poller running: stop it, or Jest waits for it forever.
    for (const poller of pollers.splice(0)) await poller.stop();
    for (const app of apps.splice(0)) await app.close();
    outputs.push(...logger.lines);
  });
  afterAll(async () => {
    expectNoCanary(outputs, canaries);
    await Promise.all(nodes.map(n => n.stop()));
  });

  const boot = async (settings: Partial<VaultConfigModuleSettings> = {}) => {
    const app = await bootFailoverApp(
      {
        address: nodes.map(n => n.url),
        auth: { method: 'token', token: TOKEN },
        sources: [{ mount: 'secret', path: 'failover', kv: 2 }],
        required: ['K'],
        envFallback: false,
        timeoutMs: 400,
        retry: { attempts: 2, minDelayMs: 10, maxDelayMs: 50 },
        refresh: { intervalMs: INTERVAL_MS, jitter: 0 },
        healthCacheMs: 100,
        ...settings,
      },
      logger,
    );
    apps.push(app);
    return app;
  };
  const healthOf = async (app: INestApplication) => {
    const { status, body } = await getHealth(app, outputs);
    return { status, vault: body.details.vault };
  };

  /**
   * The node in use fails in `how`; the app must keep answering, pick up a secret rotated on the
   * other nodes with the first refresh that reads it there, and report the next address on /health.
   */
  async function failOverWhile(how: (node: VaultTestServer) => Promise<void> | void) {
    const app = await boot();
    expect((await healthOf(app)).vault).toMatchObject({ status: 'up', address: nodes[0].url });
    const poller = pollSecret(app, 50);
    pollers.push(poller);
    expect(await eventually(() => poller.reads.length > 2, 2000)).toBe(true);
    await how(nodes[0]);
    const rotated = fresh();
    const readsOfNext = () => nodes[1].stats().byRoute['GET /v1/secret/data/failover'] ?? 0;
    await writeEverywhere(rotated, nodes.slice(1));
    const readBeforeRotation = readsOfNext();
    expect(await poller.firstServed(digest(rotated), 20 * INTERVAL_MS)).toBeDefined();
    // Served by the first refresh that read it on the next node (a second one may have been on its
    // way when the rotation landed, or start before this line runs): never stale after a read.
    expect(readsOfNext() - readBeforeRotation).toBeGreaterThanOrEqual(1);
    expect(readsOfNext() - readBeforeRotation).toBeLessThanOrEqual(2);
    await eventually(async () => (await healthOf(app)).vault.address === nodes[1].url, 3000);
    expect(await healthOf(app)).toMatchObject({
      status: 200,
      vault: { status: 'degraded', reason: 'failover', address: nodes[1].url, sealed: false },
    });
    const reads = await poller.stop();
    expect(reads.filter(r => r.status !== 200)).toEqual([]);
    const digests = reads.map(r => r.digest);
    expect(digests.every(d => d === digest(value) || d === digest(rotated))).toBe(true);
    expect(digests.slice(digests.indexOf(digest(rotated)))).not.toContain(digest(value));
    expect(logger.lines.filter(l => /refresh failed/.test(l))).toEqual([]);
    return app;
  }

  it('the node in use stops (connection refused); it is not used again when it returns', async () => {
    const app = await failOverWhile(n => n.stop());
    await nodes[0].restart();
    nodes[0].resetStats();
    nodes[1].resetStats();
    const refreshesOnNext = () => nodes[1].stats().byRoute['GET /v1/secret/data/failover'] ?? 0;
    expect(await eventually(() => refreshesOnNext() >= 3, 20 * INTERVAL_MS)).toBe(true);
    expect(nodes[0].stats().total).toBe(0); // three refreshes since its return, none of them there
    expect((await healthOf(app)).vault).toMatchObject({
      status: 'degraded',
      reason: 'failover',
      address: nodes[1].url,
    });
  });

  it('the node in use is sealed (503)', async () => {
    await failOverWhile(n => n.seal());
  });

  it('the node in use answers too slowly (timeout)', async () => {
    await failOverWhile(n => void n.faults.inject({ path: '/v1/*', latencyMs: 2000 }));
  });

  it('boots with the first address down, logging in on the next one', async () => {
    await nodes[0].stop();
    const app = await boot({
      auth: { method: 'approle', roleId: ROLE_ID, secretId: SECRET_ID },
    });
    expect(nodes[1].stats().byRoute['POST /v1/auth/approle/login']).toBe(1);
    const res = await fetch(`${await app.getUrl()}/secret`);
    expect(await res.json()).toEqual({ digest: digest(value) });
    expect((await healthOf(app)).vault).toMatchObject({
      status: 'degraded',
      reason: 'failover',
      address: nodes[1].url,
    });
  });

  it('a login that may have reached a node is not sent to another: the boot fails naming it', async () => {
    nodes[0].faults.inject({ path: '/v1/auth/approle/login', reset: true });
    const error = await boot({
      auth: { method: 'approle', roleId: ROLE_ID, secretId: SECRET_ID },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VaultUnavailableError);
    expect(error).toMatchObject({ address: nodes[0].url, errorCode: 'ECONNRESET' });
    expect(nodes.map(n => n.stats().byRoute['POST /v1/auth/approle/login'] ?? 0)).toEqual([
      1, 0, 0,
    ]);
    outputs.push(...renderError(error));
  });
});
