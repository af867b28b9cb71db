import type { X509Certificate } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { VaultResult } from '../http/vault-result.interface.js';
import type { SafeRecord } from '../util/safe-object.js';
import type { TokenEntry } from '../state/token-entry.js';
import type { NamespaceInfo } from '../state/namespace-info.interface.js';
import type { MountInfo } from '../state/mount-info.interface.js';
import type { Acl } from '../policy/index.js';
import type { EngineHost } from './engine-host.interface.js';

export type Operation = 'read' | 'list' | 'create' | 'update' | 'patch' | 'delete';

/** One request as a mounted engine (or auth backend) sees it. */
export interface EngineRequest {
  operation: Operation;
  /** The HTTP method (LIST for `?list=true`). */
  method: string;
  /** Path relative to the mount, without leading slash (`data/app`). */
  path: string;
  /** Full API path inside the namespace (`secret/data/app`). */
  apiPath: string;
  body: SafeRecord;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The caller's token (undefined on unauthenticated paths). */
  token: TokenEntry | undefined;
  acl: Acl | undefined;
  namespace: NamespaceInfo;
  mount: MountInfo;
  core: EngineHost;
  remoteAddress: string;
  /** The TLS client certificate the caller presented (a TLS listener only), and its chain. */
  clientCertificate?: X509Certificate;
  clientChain?: readonly X509Certificate[];
}

/** A mounted engine; `R` is the request it is given (sys/ gets the whole core: CoreRequest). */
export interface SecretEngine<R extends EngineRequest = EngineRequest> {
  /** Answers the request or throws VaultHttpError. */
  handle(req: R): VaultResult | Promise<VaultResult>;
  /** Vault's ExistenceCheck: decides whether a write is `create` or `update` for the ACL. */
  exists?(req: R): boolean;
  /** Paths (relative to the mount) that need no token, e.g. `login`. */
  isUnauthenticated?(path: string): boolean;
  /** Paths (relative to the mount) needing `sudo` as well. */
  needsSudo?(path: string, operation: Operation): boolean;
}
