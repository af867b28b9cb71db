import { VaultHttpError } from '../http/vault-http.error.js';
import { asText } from './as-text.js';

const UNITS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
};

/**
 * Vault's `parseutil.ParseDurationSecond`: a number (seconds), a numeric string, or a Go duration
 * (`1h30m`, `90s`, `2d`). Returns whole seconds; `undefined`/`''` → `fallback`.
 */
export function parseDurationSeconds(value: unknown, fallback = 0): number {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw badDuration(String(value));
    return Math.trunc(value);
  }
  if (typeof value !== 'string') throw badDuration(asText(value));
  const text = value.trim();
  if (/^-?\d+$/.test(text)) return Number(text);
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(text)) !== null) {
    total += Number(match[1]) * UNITS[match[2]];
    consumed = re.lastIndex;
  }
  if (consumed !== text.length || consumed === 0) throw badDuration(text);
  return Math.trunc(total);
}

function badDuration(text: string): VaultHttpError {
  return VaultHttpError.badRequest(`time: invalid duration "${text.slice(0, 64)}"`);
}

/** Go's `time.Duration.String()` for whole seconds: `0s`, `1h0m0s`, `1m30s`. */
export function goDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** The short form Vault uses in TTL warnings: `2h`, `1h30m`, `45s`. */
export function shortDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}

/** RFC 3339 with Go's trimmed fraction: `2026-11-23T12:16:24.6Z`. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
}
