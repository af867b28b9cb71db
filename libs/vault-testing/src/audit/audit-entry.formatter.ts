import type { HashFn } from './audit-hash.js';
import { hashStructure } from './hash-structure.js';
import type { AuditAuth } from './interfaces/audit-auth.interface.js';
import type {
  AuditAuthEntry,
  AuditEntry,
  AuditRequestEntry,
  AuditResponseEntry,
} from './interfaces/audit-entry.interface.js';
import type { AuditRequest } from './interfaces/audit-request.interface.js';
import type { AuditResponse } from './interfaces/audit-response.interface.js';

/**
 * Builds audit entries the way Vault's `EntryFormatter` + `HashRequest`/`HashResponse` do (hmac_accessor on):
 * tokens, accessors and every string inside request/response `data` are HMAC'd; policies, token type,
 * display name, auth metadata, ids, paths, operation, remote address, warnings and the error stay clear.
 */
export class AuditEntryFormatter {
  constructor(private readonly hash: HashFn) {}

  request(auth: AuditAuth, request: AuditRequest, error?: string): AuditEntry {
    return this.buildEntry('request', auth, request, undefined, error);
  }

  response(
    auth: AuditAuth,
    request: AuditRequest,
    response: AuditResponse,
    error?: string,
  ): AuditEntry {
    const entry: AuditResponseEntry = {};
    const responseAuth = this.authEntry(readAuth(response.auth));
    if (responseAuth && Object.keys(responseAuth).length > 0) entry.auth = responseAuth;
    if (request.mountType) entry.mount_type = request.mountType;
    if (response.data !== undefined) entry.data = hashStructure(response.data, this.hash);
    if (response.warnings?.length) entry.warnings = response.warnings.filter(isString);
    return this.buildEntry('response', auth, request, entry, error);
  }

  private buildEntry(
    type: AuditEntry['type'],
    auth: AuditAuth,
    request: AuditRequest,
    response: AuditResponseEntry | undefined,
    error: string | undefined,
  ): AuditEntry {
    const entry: AuditEntry = {
      time: new Date().toISOString(),
      type,
      auth: this.authEntry(auth) ?? {},
      request: this.requestEntry(auth, request),
    };
    if (response) entry.response = response;
    if (error) entry.error = error;
    return entry;
  }

  private requestEntry(auth: AuditAuth, request: AuditRequest): AuditRequestEntry {
    const entry: Partial<AuditRequestEntry> = { id: request.id, operation: request.operation };
    if (request.mountType) entry.mount_type = request.mountType;
    if (request.clientToken) entry.client_token = this.hash(request.clientToken);
    if (request.clientToken && auth.accessor)
      entry.client_token_accessor = this.hash(auth.accessor);
    entry.namespace = namespaceOf(request.namespace);
    entry.path = request.path;
    if (request.data !== undefined && request.data !== null) {
      entry.data = hashStructure(request.data, this.hash);
    }
    entry.remote_address = request.remoteAddress;
    return entry as AuditRequestEntry;
  }

  private authEntry(auth: AuditAuth | undefined): AuditAuthEntry | undefined {
    if (!auth) return undefined;
    const entry: AuditAuthEntry = {};
    if (auth.clientToken) entry.client_token = this.hash(auth.clientToken);
    if (auth.accessor) entry.accessor = this.hash(auth.accessor);
    if (auth.displayName) entry.display_name = auth.displayName;
    if (auth.policies?.length) entry.policies = auth.policies.filter(isString);
    if (auth.tokenPolicies?.length) entry.token_policies = auth.tokenPolicies.filter(isString);
    const metadata = copyMetadata(auth.metadata);
    if (metadata) entry.metadata = metadata;
    if (auth.entityId) entry.entity_id = auth.entityId;
    if (auth.tokenType) entry.token_type = auth.tokenType;
    return entry;
  }
}

/** Accepts the wire form (`client_token`, `lease_duration`...) or an {@link AuditAuth}; drops anything else. */
function readAuth(raw: unknown): AuditAuth | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const source = raw as Record<string, unknown>;
  const pick = (camel: string, snake: string): unknown =>
    Object.hasOwn(source, camel)
      ? source[camel]
      : Object.hasOwn(source, snake)
        ? source[snake]
        : undefined;
  const text = (camel: string, snake: string) => {
    const value = pick(camel, snake);
    return typeof value === 'string' ? value : undefined;
  };
  const list = (camel: string, snake: string) => {
    const value = pick(camel, snake);
    return Array.isArray(value) ? value.filter(isString) : undefined;
  };
  const metadata = pick('metadata', 'metadata');
  return {
    clientToken: text('clientToken', 'client_token'),
    accessor: text('accessor', 'accessor'),
    displayName: text('displayName', 'display_name'),
    policies: list('policies', 'policies'),
    tokenPolicies: list('tokenPolicies', 'token_policies'),
    metadata:
      metadata && typeof metadata === 'object' ? (metadata as Record<string, string>) : null,
    entityId: text('entityId', 'entity_id'),
    tokenType: text('tokenType', 'token_type'),
  };
}

function copyMetadata(
  metadata: Record<string, string> | null | undefined,
): Record<string, string> | undefined {
  if (!metadata || typeof metadata !== 'object') return undefined;
  const copy = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value === 'string') copy[key] = value;
  }
  return Object.keys(copy).length > 0 ? copy : undefined;
}

function namespaceOf(path: string): AuditRequestEntry['namespace'] {
  if (!path || path === '/') return { id: 'root' };
  const normalised = path.endsWith('/') ? path : `${path}/`;
  return { id: normalised.slice(0, -1), path: normalised };
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
