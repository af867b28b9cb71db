/**
 * A renewal near the max TTL can grant 0 s (Vault truncates what is left to whole seconds). That
 * token is about to die: it must be replaced by a new login, not taken for one that never expires.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { VaultTestServer } from '../../../vault-testing/src/index.js';
import { AppRoleAuth } from '../auth/approle.auth.js';
import { HttpVaultTransport } from '../client/http-vault.transport.js';
import { VaultClient } from '../client/vault.client.js';
import { SensitiveValue } from '../options/sensitive-value.js';
import { TokenLifecycle } from './token-lifecycle.js';

let server: VaultTestServer;
const clients: VaultClient[] = [];
const client = (token?: string) => {
  const c = new VaultClient({
    transport: new HttpVaultTransport({ address: server.url, timeoutMs: 2000 }),
    token,
    retry: { attempts: 1 },
  });
  clients.push(c);
  return c;
};

beforeAll(async () => {
  server = await VaultTestServer.start({ rootToken: 'root' });
});
afterAll(async () => {
  await Promise.all(clients.map(c => c.close()));
  await server.stop();
});

it('a renewal granting 0 s (max TTL reached) is followed at once by a new login', async () => {
  const root = client('root');
  await root.write('sys/auth/approle', { type: 'approle' });
  await root.write('auth/approle/role/app', { token_ttl: '2s', token_max_ttl: '3s' });
  const roleId = (await root.read('auth/approle/role/app/role-id'))!.data.role_id as string;
  const secretId = (await root.write('auth/approle/role/app/secret-id', {}))!.data
    .secret_id as string;
  const auth = new AppRoleAuth(
    new SensitiveValue(roleId),
    new SensitiveValue(secretId),
    undefined,
    'approle',
  );
  const app = client();
  const lines: Array<{ message: string; at: number }> = [];
  const keep = (message: string) => lines.push({ message, at: Date.now() });
  const logger = { log: keep, warn: keep, error: keep, debug: keep };
  // No jitter: renewals at 1.33 s (granted 2 s, rounded) and 2.67 s (granted 0 s of the 3 s).
  const lifecycle = new TokenLifecycle(app, auth, logger, () => 0);
  const started = Date.now();
  lifecycle.start(await auth.authenticate(app));
  await new Promise(r => setTimeout(r, 3300));
  lifecycle.stop();
  expect(lines.map(l => l.message)).toEqual([
    'Vault token renewed (TTL 2s)',
    'Vault token renewed (TTL 0s)',
    'Vault token replaced by a new approle login',
  ]);
  expect(lines[2].at - started).toBeLessThan(3000); // before the first token's max TTL
  expect(lifecycle.ttlS).toBeGreaterThan(0); // the new token's TTL, not "never expires" (0)
});
