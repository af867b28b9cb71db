import type { Operation } from '../engines/secret-engine.interface.js';
import type { Namespace } from '../state/namespace.js';
import type { TokenEntry } from '../state/token-entry.js';
import type { SafeRecord } from '../util/safe-object.js';
import type { VaultResult } from './vault-result.interface.js';

/** Observes every handled request (the audit devices). */
export interface RequestObserver {
  onRequest(info: ObservedRequest): void;
  onResponse(
    info: ObservedRequest,
    status: number,
    result: VaultResult | undefined,
    error?: string,
  ): void;
}

export interface ObservedRequest {
  id: string;
  operation: Operation;
  path: string;
  namespace: Namespace;
  body: SafeRecord;
  token: TokenEntry | undefined;
  mountType: string | undefined;
  remoteAddress: string;
}
