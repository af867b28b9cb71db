import type { EventLoopHold } from '../client/event-loop-hold.js';
import { openVaultSession, type VaultSession } from '../client/vault-session.js';
import type { ResolvedVaultConfigOptions } from '../options/resolved-vault-config-options.interface.js';
import { createLimiter } from './concurrency-limiter.js';
import { SourceReader } from './source-reader.js';

/** A logged-in session with its source reader (KV versions detected once per connection). */
export interface VaultConnection extends VaultSession {
  readonly reader: SourceReader;
}

export async function openVaultConnection(
  resolved: ResolvedVaultConfigOptions,
  hold?: EventLoopHold,
): Promise<VaultConnection> {
  const session = await openVaultSession(resolved, hold ? { hold } : undefined);
  return {
    ...session,
    reader: new SourceReader(session.client, createLimiter(resolved.concurrency)),
  };
}
