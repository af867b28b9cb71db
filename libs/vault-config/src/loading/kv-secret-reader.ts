import type { VaultClient } from '../client/vault.client.js';
import { statusError } from '../client/vault-response.js';
import { vaultErrorStrings } from '../utils/safe-text.js';
import { VaultPermissionError } from '../errors/vault-permission.error.js';
import { VaultResponseError } from '../errors/vault-response.error.js';
import { VaultSecretNotFoundError } from '../errors/vault-secret-not-found.error.js';
import type { VaultResponse } from '../interfaces/vault-transport.interface.js';
import type { ResolvedPathSource } from '../options/resolved-vault-config-options.interface.js';
import type { Limiter } from './concurrency-limiter.js';
import { describeMount } from './describe-mount.js';
import type { SourceReadResult } from './source-read-result.interface.js';
import { isObject } from '../utils/is-object.js';

type Attempt =
  | { kind: 'found'; data: Record<string, unknown>; version?: number }
  | { kind: 'missing'; confirmsV2?: boolean }
  | { kind: 'denied'; vaultErrors: string[] }
  | { kind: 'notV2' };

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Never rejects, so a speculative request whose answer is discarded cannot leave a rejection behind. */
const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    value => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );

const unwrap = <T>(settled: Settled<T>): T => {
  if (settled.ok) return settled.value;
  throw settled.error;
};

/**
 * Reads KV sources. The KV version of each mount is detected ONCE per reader with
 * `GET sys/internal/ui/mounts/<mount>` (what the Vault CLI does). When the token may not read that
 * (403/404/400), the reader tries `<mount>/data/<path>` (KV v2) and then `<mount>/<path>` (KV v1):
 * the first answer that is a secret of the right shape fixes the mount's version for the rest of the
 * load; 404 on both → not found; a 403 with no success → VaultPermissionError naming the denied
 * paths. A 403 fails the load even for an optional source (it hides whether the secret exists).
 *
 * While a mount's version is still unknown, the v2 read is sent together with the detection request
 * instead of after it: on KV v2 (the default engine) that saves a round trip per boot; on KV v1 the
 * speculative answer is discarded (one extra GET per source, its errors never surface).
 */
export class KvSecretReader {
  readonly #client: VaultClient;
  readonly #limit: Limiter;
  readonly #detected = new Map<string, Promise<1 | 2 | undefined>>();
  readonly #learned = new Map<string, 1 | 2>();

  constructor(client: VaultClient, limit: Limiter) {
    this.#client = client;
    this.#limit = limit;
  }

  async read(source: ResolvedPathSource): Promise<SourceReadResult> {
    const v2Path = `${source.mount}/data/${source.path}`;
    const v1Path = `${source.mount}/${source.path}`;
    const known = source.kv === 'auto' ? this.#learned.get(source.mount) : source.kv;
    if (known === 2) return this.#result(source, 2, await this.#attempt(v2Path, 2), [v2Path]);
    if (known === 1) return this.#result(source, 1, await this.#attempt(v1Path, 1), [v1Path]);

    const speculativeV2 = settle(this.#attempt(v2Path, 2));
    const version = await this.#detect(source.mount);
    if (version === 2) return this.#result(source, 2, unwrap(await speculativeV2), [v2Path]);
    if (version === 1) return this.#result(source, 1, await this.#attempt(v1Path, 1), [v1Path]);

    const asV2 = unwrap(await speculativeV2);
    if (asV2.kind === 'found' || (asV2.kind === 'missing' && asV2.confirmsV2)) {
      this.#learned.set(source.mount, 2);
      return this.#result(source, 2, asV2, [v2Path]);
    }
    const asV1 = await this.#attempt(v1Path, 1);
    if (asV1.kind === 'found') {
      this.#learned.set(source.mount, 1);
      return this.#result(source, 1, asV1, [v1Path]);
    }
    const denied = [
      ...(asV2.kind === 'denied' ? [{ path: v2Path, errors: asV2.vaultErrors }] : []),
      ...(asV1.kind === 'denied' ? [{ path: v1Path, errors: asV1.vaultErrors }] : []),
    ];
    if (denied.length) {
      throw new VaultPermissionError({
        paths: denied.map(d => d.path),
        capability: 'read',
        vaultErrors: denied[0]?.errors ?? [],
      });
    }
    return this.#result(source, undefined, { kind: 'missing' }, [v2Path, v1Path]);
  }

  #detect(mount: string): Promise<1 | 2 | undefined> {
    let pending = this.#detected.get(mount);
    if (!pending) {
      pending = this.#detectOnce(mount);
      this.#detected.set(mount, pending);
      pending.then(
        version => version && this.#learned.set(mount, version),
        // The caller awaiting `pending` handles the error; a later read (a refresh) detects again.
        () => this.#detected.delete(mount),
      );
    }
    return pending;
  }

  async #detectOnce(mount: string): Promise<1 | 2 | undefined> {
    const mounted = await this.#limit(() => describeMount(this.#client, mount));
    if (mounted.state === 'kv') return mounted.version;
    if (mounted.state === 'other') {
      throw new VaultResponseError({
        path: `sys/internal/ui/mounts/${mount}`,
        status: 200,
        reason: `mount "${mount}" is not a KV secrets engine (type ${mounted.type})`,
      });
    }
    // Denied or not found: the reads themselves tell the version.
    return undefined;
  }

  async #attempt(path: string, kv: 1 | 2): Promise<Attempt> {
    const res: VaultResponse = await this.#limit(() =>
      this.#client.request({ method: 'GET', path }),
    );
    if (res.status === 403) return { kind: 'denied', vaultErrors: vaultErrorStrings(res.body) };
    if (res.status === 404) {
      // A deleted/destroyed KV v2 version answers 404 with its metadata: the mount is v2.
      const data = isObject(res.body) ? res.body.data : undefined;
      return { kind: 'missing', confirmsV2: kv === 2 && isObject(data) && isObject(data.metadata) };
    }
    if (res.status !== 200) throw statusError(res, path, 'read');
    const body = res.body;
    if (!isObject(body) || !isObject(body.data)) {
      throw new VaultResponseError({ path, status: 200, reason: '"data" is not an object' });
    }
    if (kv === 1) return { kind: 'found', data: body.data };
    const { data, metadata } = body.data;
    if (data === null) return { kind: 'missing', confirmsV2: true };
    if (!isObject(data) || !isObject(metadata)) return { kind: 'notV2' };
    const version = typeof metadata.version === 'number' ? metadata.version : undefined;
    return { kind: 'found', data, ...(version !== undefined ? { version } : {}) };
  }

  #result(
    source: ResolvedPathSource,
    kvVersion: 1 | 2 | undefined,
    attempt: Attempt,
    lookedAt: string[],
  ): SourceReadResult {
    if (attempt.kind === 'found') {
      return {
        source,
        found: true,
        ...(kvVersion ? { kvVersion } : {}),
        ...(attempt.version !== undefined ? { version: attempt.version } : {}),
        data: attempt.data,
      };
    }
    if (attempt.kind === 'denied') {
      throw new VaultPermissionError({
        paths: lookedAt,
        capability: 'read',
        vaultErrors: attempt.vaultErrors,
      });
    }
    if (attempt.kind === 'notV2') {
      throw new VaultResponseError({
        path: lookedAt[0] ?? source.path,
        status: 200,
        reason: 'not a KV v2 secret ("data.data" or "data.metadata" missing); is the mount KV v1?',
      });
    }
    if (source.required) {
      throw new VaultSecretNotFoundError({ mount: source.mount, path: source.path, lookedAt });
    }
    return { source, found: false, ...(kvVersion ? { kvVersion } : {}) };
  }
}
