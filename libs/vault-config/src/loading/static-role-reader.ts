import type { VaultClient } from '../client/vault.client.js';
import { statusError } from '../client/vault-response.js';
import { VaultResponseError } from '../errors/vault-response.error.js';
import { VaultSecretNotFoundError } from '../errors/vault-secret-not-found.error.js';
import type { ResolvedStaticRoleSource } from '../options/resolved-vault-config-options.interface.js';
import { isObject } from '../utils/is-object.js';
import { vaultErrorStrings } from '../utils/safe-text.js';
import type { Limiter } from './concurrency-limiter.js';
import type { SourceReadResult } from './source-read-result.interface.js';

const seconds = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * Reads a database static role (`GET <mount>/static-creds/<role>`): its username and password,
 * and when Vault rotates the password next (`ttl`) and last did (`last_vault_rotation`).
 */
export async function readStaticRole(
  client: VaultClient,
  limit: Limiter,
  source: ResolvedStaticRoleSource,
): Promise<SourceReadResult> {
  const path = `${source.mount}/${source.path}`;
  const res = await limit(() => client.request({ method: 'GET', path }));
  if (res.status === 404) {
    throw new VaultSecretNotFoundError({
      mount: source.mount,
      path: source.path,
      lookedAt: [path],
    });
  }
  if (res.status === 400) {
    throw new VaultResponseError({
      path,
      status: 400,
      reason: `Vault has no static role "${source.role}" at ${source.mount}/ (vault write ${source.mount}/static-roles/${source.role} ...)`,
      vaultErrors: vaultErrorStrings(res.body),
    });
  }
  if (res.status !== 200) throw statusError(res, path, 'read');
  const data = isObject(res.body) && isObject(res.body.data) ? res.body.data : undefined;
  if (
    !data ||
    typeof data.username !== 'string' ||
    typeof data.password !== 'string' ||
    typeof data.last_vault_rotation !== 'string' ||
    !seconds(data.ttl)
  ) {
    throw new VaultResponseError({
      path,
      status: 200,
      reason: 'a static role answers username, password, last_vault_rotation and ttl',
    });
  }
  return {
    source,
    found: true,
    data: { username: data.username, password: data.password },
    rotation: {
      lastRotation: data.last_vault_rotation,
      ttlS: data.ttl,
      ...(seconds(data.rotation_period) ? { rotationPeriodS: data.rotation_period } : {}),
      readAt: Date.now(),
    },
  };
}
