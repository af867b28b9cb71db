import { VaultPermissionError } from '../errors/vault-permission.error.js';
import { unchangedByMetadata } from '../loading/unchanged-by-metadata.js';
import type { SourceReadResult } from '../loading/source-read-result.interface.js';
import type { VaultConnection } from '../loading/vault-connection.js';
import type { ResolvedVaultConfigOptions } from '../options/resolved-vault-config-options.interface.js';
import type { LeaseRegistry } from './lease-registry.js';
import type { VaultLink } from './vault-link.js';

/**
 * The reads of one refresh: a dynamic source whose lease is being kept is not read again (that
 * would issue new credentials), and with `useMetadata` an unchanged KV v2 secret costs one
 * metadata read instead of a data read. A 403 because the token was revoked costs one new login.
 */
export class RefreshReader {
  readonly #resolved: ResolvedVaultConfigOptions;
  readonly #leases: LeaseRegistry;
  /** Sources whose metadata the token may not read: asking again every interval would only fail. */
  readonly #metadataDenied = new Set<number>();

  constructor(resolved: ResolvedVaultConfigOptions, leases: LeaseRegistry) {
    this.#resolved = resolved;
    this.#leases = leases;
  }

  async readAll(
    link: VaultLink,
    previous: readonly SourceReadResult[],
  ): Promise<SourceReadResult[]> {
    try {
      return await this.#readOnce(link.connection, previous);
    } catch (error) {
      if (!(error instanceof VaultPermissionError) || !(await link.tokenWasRevoked())) throw error;
      await link.token?.reauthenticate();
      return this.#readOnce(link.connection, previous);
    }
  }

  #readOnce(
    connection: VaultConnection,
    previous: readonly SourceReadResult[],
  ): Promise<SourceReadResult[]> {
    const { sources, refresh } = this.#resolved;
    // No per-path debug lines here: they would repeat every interval.
    return connection.reader.readAll(sources, undefined, async (source, index) => {
      const last = previous[index];
      if (last?.lease && this.#leases.has(index)) return last;
      const checkable =
        refresh?.useMetadata &&
        last?.kvVersion === 2 &&
        last.version !== undefined &&
        !this.#metadataDenied.has(index);
      if (checkable) {
        const same = await unchangedByMetadata(connection.client, last);
        if (same === true) return last;
        if (same === 'denied') this.#metadataDenied.add(index);
      }
      const fresh = await connection.reader.read(source);
      if (fresh.lease) this.#leases.keep(index, fresh.lease, connection.client);
      return fresh;
    });
  }
}
