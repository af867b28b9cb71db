import { VaultHttpError } from '../http/vault-http.error.js';
import type { VaultResult } from '../http/vault-result.interface.js';
import type { EngineRequest, SecretEngine } from './secret-engine.interface.js';
import { KvV1Engine } from './kv/kv-v1.engine.js';

/** `cubbyhole/`: a private KV v1 store per token, gone when the token is revoked. */
export class CubbyholeEngine implements SecretEngine {
  private readonly stores = new Map<string, KvV1Engine>();

  exists(req: EngineRequest): boolean {
    return req.token ? (this.stores.get(req.token.id)?.exists(req) ?? false) : false;
  }

  handle(req: EngineRequest): VaultResult {
    if (!req.token) throw VaultHttpError.invalidToken();
    let store = this.stores.get(req.token.id);
    if (!store) {
      store = new KvV1Engine(0);
      this.stores.set(req.token.id, store);
    }
    const result = store.handle(req);
    return result.leaseDuration !== undefined ? { ...result, leaseDuration: 0 } : result;
  }

  dropToken(tokenId: string): void {
    this.stores.delete(tokenId);
  }
}
