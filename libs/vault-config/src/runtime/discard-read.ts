import type { VaultRead } from './read-vault.js';

/**
 * Drops a read nobody will use (the environment changed before the module claimed it): revokes the
 * token of our own login, best effort, and closes the connection.
 */
export async function discardRead(read: VaultRead): Promise<void> {
  const connection = read.connection;
  if (!connection) return;
  try {
    if (connection.auth.ownsToken) {
      await connection.client.request({ method: 'POST', path: 'auth/token/revoke-self', body: {} });
    }
  } catch {
    // It expires with its TTL.
  } finally {
    await connection.close();
  }
}
