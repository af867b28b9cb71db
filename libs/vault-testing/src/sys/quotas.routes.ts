import { VaultHttpError } from '../http/vault-http.error.js';
import { NO_CONTENT, type VaultResult } from '../http/vault-result.interface.js';
import type { EngineRequest } from '../engines/secret-engine.interface.js';
import type { QuotaStore, RateLimitQuota } from '../state/quota-store.js';
import { parseDurationSeconds } from '../util/duration.js';
import { toBool } from '../auth/auth-params.js';

function describe(q: RateLimitQuota) {
  return {
    block_interval: q.blockInterval,
    burst: q.burst,
    inheritable: false,
    interval: q.interval,
    name: q.name,
    path: q.path,
    rate: q.rate,
    role: '',
    type: 'rate-limit',
  };
}

/** `sys/quotas/config` and `sys/quotas/rate-limit[/<name>]`. */
export function quotasRoute(quotas: QuotaStore) {
  return (req: EngineRequest, path: string): VaultResult | undefined => {
    const op = req.operation;
    const write = op === 'create' || op === 'update';
    if (path === 'quotas/config') {
      if (op === 'read') {
        return {
          data: {
            enable_rate_limit_audit_logging: false,
            enable_rate_limit_response_headers: quotas.responseHeaders,
            rate_limit_exempt_paths: [],
          },
        };
      }
      if (!write) throw VaultHttpError.unsupportedOperation();
      if (req.body.enable_rate_limit_response_headers !== undefined) {
        quotas.responseHeaders = toBool(req.body.enable_rate_limit_response_headers);
      }
      return NO_CONTENT;
    }
    if (path === 'quotas/rate-limit' || path === 'quotas/rate-limit/') {
      if (op !== 'list') throw VaultHttpError.unsupportedOperation();
      if (!quotas.quotas.size) throw VaultHttpError.notFound();
      return { data: { keys: [...quotas.quotas.keys()].sort() } };
    }
    const m = /^quotas\/rate-limit\/([^/]+)$/.exec(path);
    if (!m) return undefined;
    const name = m[1];
    if (op === 'read') {
      const q = quotas.quotas.get(name);
      if (!q) throw VaultHttpError.notFound();
      return { data: describe(q) };
    }
    if (op === 'delete') {
      quotas.quotas.delete(name);
      return NO_CONTENT;
    }
    if (!write) throw VaultHttpError.unsupportedOperation();
    const existing = quotas.quotas.get(name);
    const rate = req.body.rate === undefined ? existing?.rate : Number(req.body.rate);
    if (rate === undefined || !Number.isFinite(rate) || rate <= 0) {
      throw VaultHttpError.badRequest('rate must be positive');
    }
    const interval =
      req.body.interval === undefined
        ? (existing?.interval ?? 1)
        : parseDurationSeconds(req.body.interval, 1);
    const burst = Math.max(1, Math.floor(rate));
    const now = req.core.clock.now();
    const quotaPath =
      typeof req.body.path === 'string'
        ? req.namespace.path + req.body.path.replace(/^\/+/, '')
        : (existing?.path ?? req.namespace.path);
    quotas.quotas.set(name, {
      name,
      path: quotaPath,
      rate,
      interval: Math.max(1, interval),
      burst,
      blockInterval: parseDurationSeconds(req.body.block_interval, existing?.blockInterval ?? 0),
      tokens: burst,
      updatedAt: now,
      blockedUntil: 0,
    });
    return NO_CONTENT;
  };
}
