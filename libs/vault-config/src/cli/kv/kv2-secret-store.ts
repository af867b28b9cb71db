import type { VaultClient } from '../../client/vault.client.js';
import { statusError } from '../../client/vault-response.js';
import { describeMount } from '../../loading/describe-mount.js';
import { vaultErrorStrings } from '../../utils/safe-text.js';
import { VaultPermissionError } from '../../errors/vault-permission.error.js';
import { VaultResponseError } from '../../errors/vault-response.error.js';
import { KvCasConflictError } from '../errors/kv-cas-conflict.error.js';
import { KvMountError } from '../errors/kv-mount.error.js';
import type { Kv2Secret } from './kv2-secret.interface.js';
import { isObject } from '../../utils/is-object.js';

/** Reads and writes one KV v2 path through the library's VaultClient, with check-and-set. */
export class Kv2SecretStore {
  constructor(
    private readonly client: VaultClient,
    readonly mount: string,
    readonly path: string,
  ) {}

  get dataPath(): string {
    return `${this.mount}/data/${this.path}`;
  }

  /** Refuses anything but a KV v2 mount (a KV v1 mount would store `data/<path>` literally). */
  async assertKv2(): Promise<void> {
    const mounted = await describeMount(this.client, this.mount);
    if (mounted.state === 'denied') {
      throw new VaultPermissionError({
        paths: [this.dataPath],
        capability: 'read',
        vaultErrors: mounted.vaultErrors,
      });
    }
    if (mounted.state === 'missing') {
      throw new KvMountError(this.mount, 'no secrets engine is mounted there');
    }
    if (mounted.state === 'other') {
      throw new KvMountError(this.mount, 'is not a KV secrets engine');
    }
    if (mounted.version !== 2) {
      throw new KvMountError(
        this.mount,
        'is KV version 1; migrate and rotate need KV version 2 (check-and-set and version history)',
      );
    }
  }

  async read(): Promise<Kv2Secret> {
    const res = await this.client.request({ method: 'GET', path: this.dataPath });
    const body = isObject(res.body) ? res.body : undefined;
    const payload = isObject(body?.data) ? body.data : undefined;
    const metadata = isObject(payload?.metadata) ? payload.metadata : undefined;
    const version = typeof metadata?.version === 'number' ? metadata.version : undefined;
    if (res.status === 404) {
      return { exists: false, version: version ?? 0, data: new Map() };
    }
    if (res.status !== 200) throw statusError(res, this.dataPath, 'read');
    if (version === undefined || !(payload?.data === null || isObject(payload?.data))) {
      throw new VaultResponseError({
        path: this.dataPath,
        status: 200,
        reason: 'not a KV v2 secret ("data.data" or "data.metadata" missing)',
      });
    }
    if (payload?.data === null) return { exists: false, version, data: new Map() };
    const data = new Map<string, unknown>();
    const values = payload?.data;
    for (const key of Object.keys(values)) data.set(key, values[key]);
    const created = metadata?.created_time;
    return {
      exists: true,
      version,
      data,
      ...(typeof created === 'string' ? { createdTime: created } : {}),
    };
  }

  /** Writes `data` as the next version if the current version is still `cas`; the new version. */
  async write(data: ReadonlyMap<string, unknown>, cas: number): Promise<number> {
    const res = await this.client.request({
      method: 'POST',
      path: this.dataPath,
      body: { options: { cas }, data: Object.fromEntries(data) },
    });
    if (res.status === 400 && vaultErrorStrings(res.body).some(e => /check-and-set/i.test(e))) {
      throw new KvCasConflictError({ mount: this.mount, path: this.path, expectedVersion: cas });
    }
    if (res.status !== 200) {
      throw statusError(res, this.dataPath, cas === 0 ? 'create' : 'update');
    }
    const payload = isObject(res.body) && isObject(res.body.data) ? res.body.data : undefined;
    if (typeof payload?.version !== 'number') {
      throw new VaultResponseError({
        path: this.dataPath,
        status: res.status,
        reason: 'the write answer has no version',
      });
    }
    return payload.version;
  }

  /** Soft-deletes the latest version, so reads answer 404 again (the version history stays). */
  async deleteLatest(): Promise<void> {
    await this.client.delete(this.dataPath);
  }
}
