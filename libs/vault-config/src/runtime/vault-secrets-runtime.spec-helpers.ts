// The VaultSecretsRuntime specs' fixture: one in-memory Vault per test, real HTTP, a recording
// logger, and a canary scan of every log line when the test ends.
import { expect } from '@jest/globals';
import type { VaultTestServer } from '../../../vault-testing/src/index.js';
import { VaultServerFixture } from '../client/vault-server-fixture.spec-helpers.js';
import type { SecretsChangedEvent } from '../interfaces/secrets-changed-event.interface.js';
import type { VaultConfigOptions } from '../interfaces/vault-config-options.interface.js';
import { VaultSecretsRuntime } from './vault-secrets-runtime.js';
import { RecordingLogger } from '../utils/recording-logger.spec-helpers.js';

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
export const canary = (label: string) =>
  `canary-${label}-${Math.random().toString(36).slice(2, 10)}`;

/** A server, a root client, the runtimes a test started; close() stops them and scans the logs. */
export class RuntimeFixture extends VaultServerFixture {
  readonly logger = new RecordingLogger();
  readonly events: SecretsChangedEvent[] = [];
  /** Values, credentials and tokens: none may reach a log line. */
  readonly secrets: string[] = [];
  auth: VaultConfigOptions['auth'] = { method: 'token', token: 'root' };
  readonly #runtimes: VaultSecretsRuntime[] = [];

  constructor(
    server: VaultTestServer,
    /** Options every runtime() of this fixture starts with (a test's own override them). */
    private readonly defaults: Partial<VaultConfigOptions>,
  ) {
    super(server, 5000);
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

  async close(): Promise<void> {
    for (const runtime of this.#runtimes) {
      const { snapshot } = runtime;
      this.secrets.push(...snapshot.keys().map(key => String(snapshot.get(key))));
      await runtime.close();
    }
    await this.stopServer();
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
