import type { VaultClient } from '../client/vault.client.js';
import { VaultResponseError } from '../errors/vault-response.error.js';
import { VaultSecretNotFoundError } from '../errors/vault-secret-not-found.error.js';
import type { ResolvedSecretSource } from '../options/resolved-vault-config-options.interface.js';
import type { Limiter } from './concurrency-limiter.js';
import type { SourceReadResult } from './source-read-result.interface.js';

/** Reads a dynamic source (`GET <mount>/<path>`, e.g. `database/creds/app`): data plus its lease. */
export async function readDynamicSecret(
  client: VaultClient,
  limit: Limiter,
  source: ResolvedSecretSource,
): Promise<SourceReadResult> {
  const path = `${source.mount}/${source.path}`;
  const envelope = await limit(() => client.read(path));
  if (!envelope) {
    if (source.required) {
      throw new VaultSecretNotFoundError({
        mount: source.mount,
        path: source.path,
        lookedAt: [path],
      });
    }
    return { source, found: false };
  }
  const leaseId = envelope.lease_id;
  const durationS = envelope.lease_duration;
  if (typeof leaseId !== 'string' || typeof durationS !== 'number' || durationS < 0) {
    throw new VaultResponseError({
      path,
      status: 200,
      reason: 'a dynamic source must answer a lease_id and lease_duration',
    });
  }
  return {
    source,
    found: true,
    data: envelope.data,
    lease: { id: leaseId, durationS, renewable: envelope.renewable === true },
  };
}
