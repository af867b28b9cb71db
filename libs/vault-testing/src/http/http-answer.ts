import { safeRecord } from '../util/safe-object.js';
import { VaultHttpError } from './vault-http.error.js';
import type { VaultResult } from './vault-result.interface.js';

/** What goes back on the wire: status, headers, body. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

export const JSON_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };

/** A thrown VaultHttpError as Vault answers it; anything else is a 500 without details. */
export function errorAnswer(err: unknown): HttpAnswer {
  if (err instanceof VaultHttpError) {
    const body = err.body !== undefined ? err.body : { errors: err.errors };
    return {
      status: err.status,
      headers: { ...JSON_HEADERS, ...err.headers },
      body: `${JSON.stringify(body)}\n`,
    };
  }
  return { status: 500, headers: { ...JSON_HEADERS }, body: '{"errors":["internal error"]}\n' };
}

/** An engine result in Vault's envelope (request_id, lease, data, warnings, auth, mount_type). */
export function resultAnswer(
  result: VaultResult,
  requestId: string,
  mountType: string,
): HttpAnswer {
  const headers = { ...JSON_HEADERS, ...(result.headers ?? {}) };
  if (result.headOnly) return { status: result.status ?? 200, headers };
  if (result.raw !== undefined) {
    return { status: result.status ?? 200, headers, body: `${JSON.stringify(result.raw)}\n` };
  }
  const hasContent =
    result.envelope ||
    result.data !== undefined ||
    result.auth !== undefined ||
    (result.warnings !== undefined && result.warnings.length > 0);
  if (!hasContent) return { status: result.status ?? 204, headers };
  const envelope = safeRecord();
  if (result.mergeTopLevel && result.data && typeof result.data === 'object') {
    for (const [k, v] of Object.entries(result.data)) envelope[k] = v;
  }
  Object.assign(envelope, {
    request_id: requestId,
    lease_id: result.leaseId ?? '',
    renewable: result.renewable ?? false,
    lease_duration: result.leaseDuration ?? 0,
    data: result.data ?? null,
    wrap_info: null,
    warnings: result.warnings && result.warnings.length ? result.warnings : null,
    auth: result.auth ?? null,
    mount_type: mountType,
  });
  return { status: result.status ?? 200, headers, body: `${JSON.stringify(envelope)}\n` };
}
