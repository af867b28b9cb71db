import { describeError } from '../../errors/describe-error.js';
import { VaultUnavailableError } from '../../errors/vault-unavailable.error.js';
import { KvRollbackError } from '../errors/kv-rollback.error.js';
import { KvVerificationError } from '../errors/kv-verification.error.js';
import type { Kv2SecretStore } from './kv2-secret-store.js';
import type { Kv2Secret } from './kv2-secret.interface.js';
import { sameJsonValue } from './same-json-value.js';

/**
 * Writes `next` with check-and-set on `prior.version`, reads it back and compares every key. When
 * the read-back differs (or fails), the write is rolled back before the error is thrown. Returns
 * the new version.
 */
export async function writeVerified(
  store: Kv2SecretStore,
  prior: Kv2Secret,
  next: ReadonlyMap<string, unknown>,
  onRollback: (note: string) => void,
): Promise<number> {
  let version: number;
  try {
    version = await store.write(next, prior.version);
  } catch (failure) {
    if (failure instanceof VaultUnavailableError)
      await undoIfLanded(store, prior, next, failure, onRollback);
    throw failure;
  }
  try {
    const back = await store.read();
    const wrong = [...next.keys()].filter(k => !sameJsonValue(back.data.get(k), next.get(k)));
    const extra = [...back.data.keys()].filter(k => !next.has(k));
    if (back.version !== version) {
      throw new KvVerificationError({
        mount: store.mount,
        path: store.path,
        keys: [],
        reason: `version ${back.version} is current instead of the version ${version} just written`,
      });
    }
    if (wrong.length || extra.length) {
      throw new KvVerificationError({
        mount: store.mount,
        path: store.path,
        keys: [...wrong, ...extra],
        reason: 'the data read back differs from the data written',
      });
    }
  } catch (failure) {
    onRollback(await rollBack(store, prior, version, failure));
    throw failure;
  }
  return version;
}

/** The answer to a write was lost: if the write landed anyway, roll it back. */
async function undoIfLanded(
  store: Kv2SecretStore,
  prior: Kv2Secret,
  next: ReadonlyMap<string, unknown>,
  failure: unknown,
  onRollback: (note: string) => void,
): Promise<void> {
  let landed;
  try {
    landed = await store.read();
  } catch {
    onRollback(
      `The outcome of the write is unknown: check the versions of ${store.mount}/${store.path} ` +
        `(vault kv metadata get -mount=${store.mount} ${store.path}); version ${prior.version} is the one before.`,
    );
    return;
  }
  const same =
    landed.data.size === next.size &&
    [...next].every(([k, v]) => sameJsonValue(landed.data.get(k), v));
  if (landed.version === prior.version + 1 && same) {
    onRollback(await rollBack(store, prior, landed.version, failure));
  }
}

/**
 * Undoes a write of version `written`: writes the prior data back (check-and-set on `written`, so a
 * newer change by someone else is never overwritten), or soft-deletes `written` when the path did
 * not exist before. Returns what was done; throws KvRollbackError when undoing failed too.
 */
export async function rollBack(
  store: Kv2SecretStore,
  prior: Kv2Secret,
  written: number,
  failure: unknown,
): Promise<string> {
  const where = `${store.mount}/${store.path}`;
  try {
    if (prior.exists) {
      const restored = await store.write(prior.data, written);
      return `Rolled back ${where}: version ${restored} restores the data of version ${prior.version}.`;
    }
    await store.deleteLatest();
    return `Rolled back ${where}: version ${written} is deleted, reads answer 404 as before.`;
  } catch (rollbackError) {
    throw new KvRollbackError({
      mount: store.mount,
      path: store.path,
      writtenVersion: written,
      priorVersion: prior.version,
      priorExisted: prior.exists,
      failure: describeError(failure),
      rollbackFailure: describeError(rollbackError),
    });
  }
}
