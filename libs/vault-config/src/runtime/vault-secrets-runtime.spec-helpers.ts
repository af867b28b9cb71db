// The VaultSecretsRuntime specs' fixture: one in-memory Vault per test, real HTTP, a recording
// logger, and a canary scan of every log line when the test ends.
import { expect } from '@jest/globals';
import { VaultTestServer } from '../../../vault-testing/src/index.js';
import { HttpVaultTransport } from '../client/http-vault.transport.js';
import { VaultClient } from '../client/vault.client.js';
import type { SecretsChangedEvent } from '../interfaces/secrets-changed-event.interface.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import { VaultSecretsRuntime } from './vault-secrets-runtime.js';
import { RecordingLogger } from '../utils/recording-logger.spec-helpers.js';

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
export const canary = (label: string) =>
  `canary-${label}-${Math.random().toString(36).slice(2, 10)}`;

export type VaultBody = { data?: Record<string, unknown>; auth?: { client_token: string } };

/** A server, a root client, the runtimes a test started; close() stops them and scans the logs. */
export class RuntimeFixture {
  readonly logger = new RecordingLogger();
  readonly events: SecretsChangedEvent[] = [];
  /** Values, credentials and tokens: none may reach a log line. */
  readonly secrets: string[] = [];
  readonly root: VaultClient;
  auth: VaultConfigOptions['auth'] = { method: 'token', token: 'root' };
  readonly #runtimes: VaultSecretsRuntime[] = [];
  readonly #clients: VaultClient[] = [];

  constructor(
    readonly server: VaultTestServer,
    /** Options every runtime() of this fixture starts with (a test's own override them). */
    private readonly defaults: Partial<VaultConfigOptions>,
  ) {
    this.root = this.client('root');
  }

  static startServer(): Promise<VaultTestServer> {
    return VaultTestServer.start({ rootToken: 'root' });
  }

  /** An AppRole `app` with `policy`; later runtimes log in with it. */
  async loginWithAppRole(policy: string): Promise<void> {
    await this.call('POST', 'sys/auth/approle', { type: 'approle' });
    await this.call('PUT', 'sys/policies/acl/app', { policy });
    await this.call('POST', 'auth/approle/role/app', { token_policies: ['app'], token_ttl: '1h' });
    const role = 'auth/approle/role/app';
    const roleId = (await this.call('GET', `${role}/role-id`)).data!.role_id as string;
    const secretId = (await this.call('POST', `${role}/secret-id`, {})).data!.secret_id as string;
    this.secrets.push(secretId);
    this.auth = { method: 'approle', roleId, secretId };
  }

  client(token?: string): VaultClient {
    const transport = new HttpVaultTransport({ address: this.server.url, timeoutMs: 5000 });
    const client = new VaultClient({ transport, token, retry: { attempts: 1 } });
    this.#clients.push(client);
    return client;
  }

  async call(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<VaultBody> {
    const res = await this.root.request({ method, path, ...(body ? { body } : {}) });
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}`);
    return res.body as VaultBody;
  }

  async runtime(over: Partial<VaultConfigOptions> = {}): Promise<VaultSecretsRuntime> {
    const runtime = await VaultSecretsRuntime.start(
      {
        address: this.server.url,
        auth: this.auth,
        envFallback: false,
        retry: { attempts: 1 },
        ...this.defaults,
        ...over,
      },
      { logger: this.logger, env: {} },
    );
    runtime.onChange(e => this.events.push(e));
    this.#runtimes.push(runtime);
    return runtime;
  }

  requests(route: string): number {
    return this.server.stats().byRoute[route] ?? 0;
  }

  async close(): Promise<void> {
    for (const runtime of this.#runtimes) {
      const { snapshot } = runtime;
      this.secrets.push(...snapshot.keys().map(key => String(snapshot.get(key))));
      await runtime.close();
    }
    await Promise.all(this.#clients.map(c => c.close()));
    await this.server.stop();
    const lines = this.logger.calls.map(c => c.message).join('\n');
    for (const secret of this.secrets) {
      // Short values (`default`, `local`) are words any line may hold; canaries are long. A PEM
      // value is checked line by line (its header lines are the same in every certificate).
      if (secret.includes('\n')) {
        for (const line of secret.split('\n').filter(l => l.length > 16))
          expect(lines).not.toContain(line);
      } else if (secret.length > 8) expect(lines).not.toContain(secret);
    }
  }
}

export { fixtureTest } from '../utils/fixture-test.spec-helpers.js';
