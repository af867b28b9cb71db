import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { VaultTestServer } from '../../../vault-testing/src/index.js';
import type { VaultClient } from '../client/vault.client.js';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import type { VaultHealthOptions } from '../interfaces/vault-health-options.interface.js';
import { VaultSecretsRuntime } from '../runtime/vault-secrets-runtime.js';
import { createVaultHealthProbe, type VaultHealthProbe } from './vault-health.probe.js';

const TOKEN = 'canary-probe-token-main';
const REVOKED = 'canary-probe-token-to-revoke';

describe('createVaultHealthProbe against the test server', () => {
  let server: VaultTestServer;
  const closing: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    server = await VaultTestServer.start({
      seed: {
        secrets: { 'secret/app': { A: '1' } },
        policies: { app: 'path "secret/data/app" { capabilities = ["read"] }' },
        tokens: [
          { id: TOKEN, policies: ['app'], ttl: '1h' },
          { id: REVOKED, policies: ['app'], ttl: '1h' },
        ],
      },
    });
  });
  afterEach(async () => {
    server.faults.clear();
    server.resetStats();
    for (const c of closing.splice(0).reverse()) await c.close();
  });
  afterAll(() => server.stop());

  /** A probe on a real runtime's validated options, lending the runtime's token. */
  const probeFor = async (settings: Partial<VaultConfigOptions & VaultHealthOptions> = {}) => {
    const runtime = await VaultSecretsRuntime.start({
      address: server.url,
      auth: { method: 'token', token: TOKEN },
      sources: [{ mount: 'secret', path: 'app', kv: 2 }],
      envFallback: false,
      ...settings,
    });
    closing.push(runtime);
    const probe = createVaultHealthProbe(runtime.options) as VaultHealthProbe;
    closing.push(probe);
    const lend = (client: VaultClient) => runtime.shareTokenWith(client);
    return { runtime, probe, lend };
  };
  const count = (route: string) => server.stats().byRoute[route] ?? 0;

  it('asks sys/health and lookup-self once each, with the lent token', async () => {
    const { probe, lend } = await probeFor();
    server.resetStats();
    const answer = await probe.probe(lend);
    expect(answer.health).toMatchObject({ status: 200, initialized: true, sealed: false });
    expect(answer.token).toEqual({ valid: true, ttlS: expect.any(Number) });
    expect((answer.token as { ttlS: number }).ttlS).toBeGreaterThan(3500);
    expect([count('GET /v1/sys/health'), count('GET /v1/auth/token/lookup-self')]).toEqual([1, 1]);
  });

  it('without a token to lend, only sys/health is asked', async () => {
    const { probe } = await probeFor();
    server.resetStats();
    const answer = await probe.probe(() => false);
    expect(answer).not.toHaveProperty('token');
    expect(server.stats().total).toBe(1);
  });

  it('a revoked token is { valid: false }; a sealed Vault leaves the token unknown', async () => {
    const revoked = await probeFor({ auth: { method: 'token', token: REVOKED } });
    await fetch(`${server.url}/v1/auth/token/revoke`, {
      method: 'POST',
      headers: { 'X-Vault-Token': server.rootToken },
      body: JSON.stringify({ token: REVOKED }),
    });
    expect((await revoked.probe.probe(revoked.lend)).token).toEqual({ valid: false });

    const { probe, lend } = await probeFor();
    server.seal();
    try {
      const answer = await probe.probe(lend);
      expect(answer.health).toMatchObject({ status: 503, sealed: true });
      expect(answer).not.toHaveProperty('token');
    } finally {
      server.unseal();
    }
  });

  it('one try each, within healthTimeoutMs, however many retries the module has', async () => {
    const { probe, lend } = await probeFor({ healthTimeoutMs: 100, retry: { attempts: 5 } });
    server.faults.inject({ path: '/v1/sys/health', latencyMs: 400 });
    server.resetStats();
    const e = await probe.probe(lend).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(VaultUnavailableError);
    expect(e).toMatchObject({ errorCode: 'ETIMEDOUT', attempts: 1 });
    expect(count('GET /v1/sys/health')).toBe(1);
    server.faults.clear();
    server.faults.inject({ path: '/v1/auth/token/lookup-self', status: 500 });
    server.resetStats();
    expect(await probe.probe(lend)).not.toHaveProperty('token');
    expect(count('GET /v1/auth/token/lookup-self')).toBe(1);
  });

  it('is undefined when Vault is disabled', async () => {
    const runtime = await VaultSecretsRuntime.start({ enabled: false, envFallback: false });
    closing.push(runtime);
    expect(createVaultHealthProbe(runtime.options)).toBeUndefined();
  });
});
