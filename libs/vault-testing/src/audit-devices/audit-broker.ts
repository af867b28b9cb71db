import { FileAuditDevice, type AuditAuth, type AuditRequest } from '../audit/index.js';
import { VaultHttpError } from '../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../http/vault-result.interface.js';
import type { ObservedRequest, RequestObserver } from '../http/request-observer.interface.js';
import type { CoreRequest } from '../state/core-request.interface.js';
import type { Namespace } from '../state/namespace.js';
import type { VaultCore } from '../state/vault-core.js';
import { isPlainObject, safeRecord } from '../util/safe-object.js';
import { asText } from '../util/as-text.js';

interface EnabledDevice {
  path: string;
  type: string;
  description: string;
  options: Record<string, string>;
  device: FileAuditDevice;
}

/** The enabled audit devices (`sys/audit`), fed every request and response. */
export class AuditBroker implements RequestObserver {
  private readonly devices = new Map<string, EnabledDevice>();

  constructor(private readonly core: VaultCore) {}

  observers(): RequestObserver[] {
    return this.devices.size ? [this] : [];
  }

  enable(ns: Namespace, rawPath: string, body: Record<string, unknown>): void {
    if (!ns.isRoot)
      throw VaultHttpError.badRequest('audit devices can only be enabled in the root namespace');
    const path = `${rawPath.replace(/^\/+|\/+$/g, '')}/`;
    if (path === '/') throw VaultHttpError.badRequest('missing path');
    if (this.devices.has(path)) throw VaultHttpError.badRequest(`path already in use`);
    if (body.type !== 'file') {
      throw VaultHttpError.badRequest(
        `unknown backend type: "${asText(body.type ?? '').slice(0, 32)}"`,
      );
    }
    const options = isPlainObject(body.options) ? body.options : {};
    const filePath = options.file_path ?? options.path;
    if (typeof filePath !== 'string' || filePath === '') {
      throw VaultHttpError.badRequest('file_path is required');
    }
    this.devices.set(path, {
      path,
      type: 'file',
      description: typeof body.description === 'string' ? body.description : '',
      options: { file_path: filePath },
      device: new FileAuditDevice({ filePath }),
    });
  }

  /** `sys/audit`, `sys/audit/<path>`, `sys/audit-hash/<path>`. */
  route(req: CoreRequest, path: string): VaultResult | undefined {
    const op = req.operation;
    const write = op === 'create' || op === 'update';
    if (path === 'audit') {
      if (op !== 'read') throw VaultHttpError.unsupportedOperation();
      const data = safeRecord();
      for (const d of this.devices.values()) {
        data[d.path] = {
          type: d.type,
          description: d.description,
          options: { ...d.options },
          local: false,
          path: d.path,
        };
      }
      return { data, mergeTopLevel: true };
    }
    if (path.startsWith('audit/')) {
      const name = path.slice('audit/'.length);
      if (write) {
        this.enable(req.namespace, name, req.body);
        return NO_CONTENT;
      }
      if (op === 'delete') {
        this.devices.delete(`${name.replace(/\/+$/, '')}/`);
        return NO_CONTENT;
      }
      throw VaultHttpError.unsupportedOperation();
    }
    if (path.startsWith('audit-hash/')) {
      if (!write) throw VaultHttpError.unsupportedOperation();
      const device = this.devices.get(`${path.slice('audit-hash/'.length).replace(/\/+$/, '')}/`);
      if (!device) throw VaultHttpError.badRequest('unknown audit backend');
      const input = req.body.input;
      if (typeof input !== 'string')
        throw VaultHttpError.badRequest('the "input" parameter is required');
      return { data: { hash: device.device.hash(input) }, mergeTopLevel: true };
    }
    return undefined;
  }

  onRequest(info: ObservedRequest): void {
    for (const d of this.devices.values()) d.device.logRequest(authOf(info), requestOf(info));
  }

  onResponse(
    info: ObservedRequest,
    status: number,
    result: VaultResult | undefined,
    error?: string,
  ): void {
    for (const d of this.devices.values()) {
      d.device.logResponse(
        authOf(info),
        requestOf(info),
        {
          statusCode: status,
          data: result?.data ?? result?.raw,
          auth: result?.auth,
          warnings: result?.warnings,
        },
        error,
      );
    }
  }

  get size(): number {
    return this.devices.size;
  }

  get vaultCore(): VaultCore {
    return this.core;
  }
}

function authOf(info: ObservedRequest): AuditAuth {
  const t = info.token;
  if (!t) return {};
  return {
    clientToken: t.id,
    accessor: t.accessor,
    policies: [...t.policies],
    tokenPolicies: [...t.policies],
    metadata: t.meta ?? t.authMetadata ?? null,
    displayName: t.displayName,
    entityId: t.entityId,
    tokenType: 'service',
  };
}

function requestOf(info: ObservedRequest): AuditRequest {
  return {
    id: info.id,
    operation: info.operation,
    path: info.path,
    data: Object.keys(info.body).length ? info.body : undefined,
    remoteAddress: info.remoteAddress,
    namespace: info.namespace.path,
    mountType: info.mountType,
    clientToken: info.token?.id,
  };
}
