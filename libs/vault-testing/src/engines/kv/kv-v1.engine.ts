import { VaultHttpError } from '../../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../../http/vault-result.interface.js';
import { parseDurationSeconds } from '../../util/duration.js';
import { deepClone, type SafeRecord } from '../../util/safe-object.js';
import type { EngineRequest, SecretEngine } from '../secret-engine.interface.js';
import { listChildren } from './kv-list.js';

/** KV version 1: one unversioned JSON object per path. */
export class KvV1Engine implements SecretEngine {
  readonly secrets = new Map<string, SafeRecord>();

  constructor(private readonly defaultLeaseSeconds = 2764800) {}

  exists(req: EngineRequest): boolean {
    return this.secrets.has(req.path);
  }

  handle(req: EngineRequest): VaultResult {
    const path = req.path;
    switch (req.operation) {
      case 'list':
        return listChildren(this.secrets.keys(), path);
      case 'read': {
        const secret = this.secrets.get(path);
        if (!secret) throw VaultHttpError.notFound();
        let lease = this.defaultLeaseSeconds;
        const ttl = secret.ttl ?? secret.lease;
        if (ttl !== undefined) {
          try {
            lease = parseDurationSeconds(ttl, lease);
          } catch {
            // an unparsable ttl inside the secret is just data
          }
        }
        return { data: deepClone(secret), leaseDuration: lease, envelope: true };
      }
      case 'create':
      case 'update':
        if (path === '') throw VaultHttpError.unsupportedOperation();
        if (Object.keys(req.body).length === 0)
          throw VaultHttpError.badRequest('missing data fields');
        this.write(path, req.body);
        return NO_CONTENT;
      case 'delete':
        this.secrets.delete(path);
        return NO_CONTENT;
      default:
        throw VaultHttpError.unsupportedOperation();
    }
  }

  write(path: string, data: SafeRecord): void {
    this.secrets.set(path, deepClone(data));
  }
}
