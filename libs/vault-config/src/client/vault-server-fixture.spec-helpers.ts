// What the specs with a server of their own share: the in-memory Vault, a root client, clients on
// the real HTTP transport, and a stop that closes them all. Each spec's fixture adds what it
// tests (lifecycles, runtimes) and its own scan of the logs.
import { VaultTestServer } from '../../../vault-testing/src/index.js';
import { HttpVaultTransport } from './http-vault.transport.js';
import { VaultClient } from './vault.client.js';

/** A Vault answer as the specs read it: any of these fields may be absent. */
export type VaultBody = {
  data?: Record<string, unknown>;
  auth?: { client_token: string };
  lease_id?: string;
  lease_duration?: number;
  renewable?: boolean;
};

export class VaultServerFixture {
  readonly root: VaultClient;
  readonly #clients: VaultClient[] = [];

  constructor(
    readonly server: VaultTestServer,
    private readonly timeoutMs = 2000,
  ) {
    this.root = this.client('root');
  }

  static startServer(): Promise<VaultTestServer> {
    return VaultTestServer.start({ rootToken: 'root' });
  }

  client(token?: string): VaultClient {
    const transport = new HttpVaultTransport({
      address: this.server.url,
      timeoutMs: this.timeoutMs,
    });
    const client = new VaultClient({ transport, token, retry: { attempts: 1 } });
    this.#clients.push(client);
    return client;
  }

  /** A root request that must succeed; the body. */
  async call(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<VaultBody> {
    const res = await this.root.request({ method, path, ...(body ? { body } : {}) });
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}`);
    return res.body as VaultBody;
  }

  /** The database engine with a `pg` connection (the memory server connects to nothing). */
  async mountDatabase(allowedRoles: string[]): Promise<void> {
    await this.call('POST', 'sys/mounts/database', { type: 'database' });
    await this.call('POST', 'database/config/pg', {
      plugin_name: 'postgresql-database-plugin',
      connection_url: 'postgresql://{{username}}:{{password}}@127.0.0.1:5432/postgres',
      username: 'vault_admin',
      password: 'not-used-by-the-memory-server',
      allowed_roles: allowedRoles,
    });
  }

  requests(route: string): number {
    return this.server.stats().byRoute[route] ?? 0;
  }

  /** Closes every client made here, then the server. */
  async stopServer(): Promise<void> {
    await Promise.all(this.#clients.map(c => c.close()));
    await this.server.stop();
  }
}
