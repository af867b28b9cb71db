// The token lifecycle specs' fixture: one in-memory Vault per test, real HTTP, a recording logger.
import { expect } from '@jest/globals';
import { AppRoleAuth } from '../auth/approle.auth.js';
import type { AuthMethod } from '../auth/auth-method.interface.js';
import type { VaultClient } from '../client/vault.client.js';
import { VaultServerFixture } from '../client/vault-server-fixture.spec-helpers.js';
import { SensitiveValue } from '../options/sensitive-value.js';
import { TokenLifecycle } from './token-lifecycle.js';
import { RecordingLogger } from '../utils/recording-logger.spec-helpers.js';

export { RecordingLogger };

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
export const noJitter = () => 0;
export const sensitive = (value: string) => new SensitiveValue(value);

/** One server per test; everything it opened is closed by close(). */
export class Fixture extends VaultServerFixture {
  readonly logger = new RecordingLogger();
  /** Every credential the test handled: none may reach a log line. */
  readonly secrets: string[] = [];
  readonly #lifecycles: TokenLifecycle[] = [];

  static async start(): Promise<Fixture> {
    return new Fixture(await VaultServerFixture.startServer());
  }

  lifecycle(
    client: VaultClient,
    auth: AuthMethod,
    stillAccepted?: () => Promise<boolean>,
  ): TokenLifecycle {
    const lifecycle = new TokenLifecycle(client, auth, this.logger, noJitter, stillAccepted);
    this.#lifecycles.push(lifecycle);
    return lifecycle;
  }

  async appRole(ttl: string, maxTtl: string): Promise<AppRoleAuth> {
    await this.call('POST', 'sys/auth/approle', { type: 'approle' });
    await this.call('POST', 'auth/approle/role/app', { token_ttl: ttl, token_max_ttl: maxTtl });
    const role = 'auth/approle/role/app';
    const roleId = (await this.call('GET', `${role}/role-id`)).data!.role_id as string;
    const secretId = (await this.call('POST', `${role}/secret-id`, {})).data!.secret_id as string;
    this.secrets.push(roleId, secretId);
    return new AppRoleAuth(sensitive(roleId), sensitive(secretId), undefined, 'approle');
  }

  /** A client logged in with a fresh AppRole of these token TTLs. */
  async loggedIn(ttl: string, maxTtl: string) {
    const auth = await this.appRole(ttl, maxTtl);
    const client = this.client();
    const block = await auth.authenticate(client);
    return { auth, client, block };
  }

  refuseRenewalOnce() {
    return this.server.faults.inject({ path: '/v1/auth/token/renew-self', status: 403, times: 1 });
  }

  warnings(): string[] {
    return this.logger.calls.filter(c => c.level === 'warn').map(c => c.message);
  }

  /** A token created by root, as an operator hands one to the app. */
  async token(body: Record<string, unknown>): Promise<string> {
    const token = (await this.call('POST', 'auth/token/create', body)).auth!.client_token;
    this.secrets.push(token);
    return token;
  }

  /** The accessor of the token `client` holds now (lookup-self on a copy of its token). */
  async accessorOf(client: VaultClient): Promise<string> {
    const probe = this.client();
    client.copyTokenTo(probe);
    const data = await probe.lookupSelf();
    this.secrets.push(data.id as string);
    return data.accessor as string;
  }

  async close(): Promise<void> {
    for (const lifecycle of this.#lifecycles) lifecycle.stop();
    await this.stopServer();
    const lines = this.logger.calls.map(c => c.message).join('\n');
    for (const secret of this.secrets) expect(lines).not.toContain(secret);
  }
}
