import { VaultPermissionError } from '../errors/vault-permission.error.js';
import { unchangedByMetadata } from '../loading/unchanged-by-metadata.js';
import type { SourceReadResult } from '../loading/source-read-result.interface.js';
import type { VaultConnection } from '../loading/vault-connection.js';
import type { ResolvedVaultConfigOptions } from '../options/resolved-vault-config-options.interface.js';
import type { TimedSources } from './timed-sources.js';
import type { VaultLink } from './vault-link.js';

/**
 * The reads of one refresh: a dynamic source whose lease is being kept, or a PKI source whose
 * certificate is, is not read again (that would issue new credentials or a new certificate), and
 * with `useMetadata` an unchanged KV v2 secret costs one metadata read instead of a data read. A
 * 403 because the token was revoked costs one new login.
 */
export class RefreshReader {
  readonly #resolved: ResolvedVaultConfigOptions;
  readonly #timed: TimedSources;
  /** Sources whose metadata the token may not read: asking again every interval would only fail. */
  readonly #metadataDenied = new Set<number>();

  constructor(resolved: ResolvedVaultConfigOptions, timed: TimedSources) {
    this.#resolved = resolved;
    this.#timed = timed;
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
      if ((last?.lease || last?.certificate) && this.#timed.holds(index)) return last;
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
      if (fresh.lease || fresh.rotation) this.#timed.keep(index, fresh, connection.client);
      return fresh;
    });
  }
}
