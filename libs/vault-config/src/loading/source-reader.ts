import type { VaultClient } from '../client/vault.client.js';
import { VaultUnavailableError } from '../errors/vault-unavailable.error.js';
import type { LoggerLike } from '../interfaces/logger-like.interface.js';
import type { ResolvedSecretSource } from '../options/resolved-vault-config-options.interface.js';
import type { Limiter } from './concurrency-limiter.js';
import { readDynamicSecret } from './dynamic-secret-reader.js';
import { KvSecretReader } from './kv-secret-reader.js';
import { issueCertificate } from './pki-certificate-reader.js';
import { readStaticRole } from './static-role-reader.js';
import type { SourceReadResult } from './source-read-result.interface.js';

/** Reads any source kind; one instance per client, so KV versions are detected once. */
export class SourceReader {
  readonly #client: VaultClient;
  readonly #limit: Limiter;
  readonly #kv: KvSecretReader;

  constructor(client: VaultClient, limit: Limiter) {
    this.#client = client;
    this.#limit = limit;
    this.#kv = new KvSecretReader(client, limit);
  }

  read(source: ResolvedSecretSource): Promise<SourceReadResult> {
    switch (source.type) {
      case 'dynamic':
        return readDynamicSecret(this.#client, this.#limit, source);
      case 'pki':
        return issueCertificate(this.#client, this.#limit, source);
      case 'static':
        return readStaticRole(this.#client, this.#limit, source);
      default:
        return this.#kv.read(source);
    }
  }

  /**
   * Reads all sources in parallel (with `readOne`, default `read`); rejects with the most telling
   * error when any read fails.
   */
  async readAll(
    sources: readonly ResolvedSecretSource[],
    logger?: LoggerLike,
    readOne: (source: ResolvedSecretSource, index: number) => Promise<SourceReadResult> = s =>
      this.read(s),
  ): Promise<SourceReadResult[]> {
    const settled = await Promise.allSettled(sources.map((s, i) => readOne(s, i)));
    const failures = settled.flatMap(s => (s.status === 'rejected' ? [s.reason as unknown] : []));
    // A permission/not-found/bad-answer error wins over an outage, so 'fallback' never hides it.
    const decisive = failures.find(f => !(f instanceof VaultUnavailableError)) ?? failures[0];
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- a rejection, rethrown as it came
    if (decisive !== undefined) throw decisive;
    const results = settled.map(s => (s as PromiseFulfilledResult<SourceReadResult>).value);
    for (const r of results) {
      const kind = r.kvVersion ? `kv${r.kvVersion}` : r.found ? r.source.type : undefined;
      if (kind) {
        logger?.debug?.(
          `Read ${r.source.mount}/${r.source.path} (${kind}${r.found ? '' : ', not found'})`,
        );
      }
    }
    return results;
  }
}
