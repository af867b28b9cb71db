import type { TestClock } from '../clock/test-clock.js';

export interface RateLimitQuota {
  name: string;
  path: string;
  rate: number;
  interval: number;
  burst: number;
  blockInterval: number;
  tokens: number;
  updatedAt: number;
  blockedUntil: number;
}

const EXEMPT = new Set(['sys/health', 'sys/seal-status', 'sys/unseal', 'sys/leader', 'sys/init']);

/** `sys/quotas/rate-limit` quotas: token buckets refilled on the server's clock. */
export class QuotaStore {
  readonly quotas = new Map<string, RateLimitQuota>();
  responseHeaders = false;

  constructor(private readonly clock: TestClock) {}

  /** For a request to `path` (namespace path + API path): `undefined` when allowed, else seconds to wait. */
  take(path: string): { retryAfter: number; quota: RateLimitQuota } | undefined {
    if (EXEMPT.has(path) || this.quotas.size === 0) return undefined;
    let best: RateLimitQuota | undefined;
    for (const q of this.quotas.values()) {
      if (path.startsWith(q.path) && (!best || q.path.length > best.path.length)) best = q;
    }
    if (!best) return undefined;
    const now = this.clock.now();
    const perMs = best.rate / (best.interval * 1000);
    if (best.blockedUntil > now) {
      return { retryAfter: Math.max(1, Math.ceil((best.blockedUntil - now) / 1000)), quota: best };
    }
    best.tokens = Math.min(best.burst, best.tokens + (now - best.updatedAt) * perMs);
    best.updatedAt = now;
    if (best.tokens >= 1) {
      best.tokens -= 1;
      return undefined;
    }
    if (best.blockInterval > 0) best.blockedUntil = now + best.blockInterval * 1000;
    const wait = best.blockInterval > 0 ? best.blockInterval * 1000 : (1 - best.tokens) / perMs;
    return { retryAfter: Math.max(1, Math.ceil(wait / 1000)), quota: best };
  }
}
