/**
 * Cloud logins have an overall deadline. An instance metadata service that answers one byte every
 * 4 s (the socket's idle timeout never fires) makes the azure login fail with a VaultAuthError
 * once the deadline has passed, and a re-login after it starts afresh instead of joining the hung
 * one; once the endpoint answers again, the next re-login gets a token. Azure is played on
 * 127.0.0.1 (AzureStandIn) behind a gate that can trickle; Vault is the in-memory server's azure
 * backend (OpenBao has no azure plugin). One cloudHttp request alone is cut at its own deadline.
 */
import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VaultTestServer } from 'nestjs-vault-config-testing';
import { AzureAuth } from '../../libs/vault-config/src/auth/azure/azure.auth.js';
import { cloudHttp } from '../../libs/vault-config/src/auth/cloud/cloud-http.js';
import { HttpVaultTransport } from '../../libs/vault-config/src/client/http-vault.transport.js';
import { VaultClient } from '../../libs/vault-config/src/client/vault.client.js';
import { VaultAuthError } from '../../libs/vault-config/src/errors/vault-auth.error.js';
import { TokenLifecycle } from '../../libs/vault-config/src/lifecycle/token-lifecycle.js';
import { AzureStandIn, type AzureVm } from '../support/cloud/azure.stand-in.js';
import { isolateCloudEnv, type CloudEnv } from '../support/cloud/cloud-env.js';
import { rootCall } from '../support/lifecycle-support.js';

const DEADLINE_MS = 1500;
const TRICKLE_EVERY_MS = 4000;

const vm: AzureVm = {
  subscriptionId: randomUUID(),
  resourceGroupName: 'billing-rg',
  name: 'billing-vm-1',
  principalId: randomUUID(),
};

/** Forwards to the Azure stand-in, or (hung) answers one byte of a long body every 4 s. */
class TrickleGate {
  hung = false;
  asked = 0;
  readonly #open = new Set<ServerResponse>();
  readonly #timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    private readonly upstream: string,
  ) {}

  static async start(upstream: string): Promise<TrickleGate> {
    const handlers: Array<TrickleGate['handle']> = [];
    const server = createServer((req, res) => void handlers[0](req.url ?? '/', req.headers, res));
    const gate = new TrickleGate(server, upstream);
    handlers.push((url, headers, res) => gate.handle(url, headers, res));
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    return gate;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async handle(url: string, headers: IncomingHttpHeaders, res: ServerResponse): Promise<void> {
    this.asked++;
    if (this.hung) {
      this.#open.add(res);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
      res.write('{');
      const timer = setInterval(() => res.write(' '), TRICKLE_EVERY_MS);
      this.#timers.add(timer);
      res.on('close', () => {
        clearInterval(timer);
        this.#open.delete(res);
      });
      return;
    }
    const answer = await fetch(`${this.upstream}${url}`, {
      headers: { metadata: typeof headers.metadata === 'string' ? headers.metadata : '' },
    });
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(await answer.text());
  }

  /** Requests still trickling (the client has not hung up). */
  get open(): number {
    return this.#open.size;
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    this.server.closeAllConnections();
    await new Promise(r => this.server.close(r));
  }
}

describe('cloud login deadline (azure managed identity, hung metadata service)', () => {
  let env: CloudEnv;
  let azure: AzureStandIn;
  let gate: TrickleGate;
  let server: VaultTestServer;
  let client: VaultClient;
  const target = () => ({ kind: 'memory' as const, url: server.url, rootToken: 'root' });

  beforeAll(async () => {
    env = isolateCloudEnv();
    azure = await AzureStandIn.start(vm);
    gate = await TrickleGate.start(azure.url);
    server = await VaultTestServer.start({
      rootToken: 'root',
      cloud: { azureAuthorityHost: `${azure.url}/` },
    });
    const t = { ...target(), stop: () => server.stop() };
    await rootCall(t, 'POST', 'sys/auth/azure', { type: 'azure' });
    await rootCall(t, 'POST', 'auth/azure/config', {
      tenant_id: azure.tenantId,
      resource: 'https://management.azure.com/',
    });
    await rootCall(t, 'POST', 'auth/azure/role/billing-vm', {
      bound_subscription_ids: [vm.subscriptionId],
      bound_service_principal_ids: [vm.principalId],
      token_ttl: '1h',
    });
    client = new VaultClient({
      transport: new HttpVaultTransport({ address: server.url, timeoutMs: 5000 }),
      retry: { attempts: 1 },
    });
  });

  afterAll(async () => {
    await client?.close();
    await gate?.close();
    await Promise.all([azure?.close(), server?.stop()]);
    env?.restore();
  });

  it('a hung login fails with a VaultAuthError at the deadline; the next re-login starts afresh and succeeds', async () => {
    const auth = new AzureAuth(
      {
        method: 'azure',
        role: 'billing-vm',
        mount: 'azure',
        resource: 'https://management.azure.com/',
        imdsEndpoint: gate.url,
      },
      {},
      DEADLINE_MS,
    );
    const lifecycle = new TokenLifecycle(client, auth);
    gate.hung = true;

    const started = Date.now();
    const first = await lifecycle.reauthenticate().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(first).toBeInstanceOf(VaultAuthError);
    expect((first as Error).message).toMatch(/did not arrive within 1\.5 s/);
    // Far less than a single trickle step past the deadline: the login did not wait for the body.
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS + TRICKLE_EVERY_MS);
    expect(client.hasToken()).toBe(false);
    const askedWhileHung = gate.asked;
    expect(askedWhileHung).toBe(2); // the token and the instance metadata

    // A second re-login while the first one's requests still trickle: a new attempt, not the hung one.
    const second = await lifecycle.reauthenticate().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(second).toBeInstanceOf(VaultAuthError);
    expect(gate.asked).toBe(askedWhileHung + 2);

    gate.hung = false;
    await lifecycle.reauthenticate();
    expect(client.hasToken()).toBe(true);
    expect(lifecycle.ttlS).toBeGreaterThan(3500);
    lifecycle.stop();
    await lifecycle.revoke();
  });

  it('one metadata request is cut at its own deadline, its connection closed', async () => {
    gate.hung = true;
    const before = gate.open;
    const failure = await cloudHttp('azure', {
      method: 'GET',
      url: `${gate.url}/metadata/instance?api-version=2021-02-01`,
      headers: { metadata: 'true' },
      what: 'the instance metadata',
      deadlineMs: 1000,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(VaultAuthError);
    expect((failure as Error).message).toMatch(
      /cannot get the instance metadata from http:\/\/127\.0\.0\.1:\d+\/metadata\/instance \(no complete answer within 1 s\)/,
    );
    await new Promise(r => setTimeout(r, 100));
    expect(gate.open).toBeLessThanOrEqual(before);
  });
});
