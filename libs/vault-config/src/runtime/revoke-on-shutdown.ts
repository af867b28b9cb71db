import type { LoggerLike } from '../interfaces/logger-like.interface.js';
import type { TimedSources } from './timed-sources.js';
import type { VaultLink } from './vault-link.js';

/** `revokeOnShutdown`: leases and certificates first (revoking them needs the token), then the token. */
export async function revokeOnShutdown(
  timed: TimedSources,
  link: VaultLink,
  logger: LoggerLike | undefined,
): Promise<void> {
  const failed = await timed.revokeAll();
  await link.revokeToken();
  if (failed.leases) {
    logger?.warn(
      `${failed.leases} Vault lease(s) could not be revoked; they expire with their TTL`,
    );
  }
  if (failed.certificates) {
    logger?.warn(
      `${failed.certificates} certificate(s) could not be revoked; they stay valid until they expire`,
    );
  }
}
