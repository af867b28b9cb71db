import { VaultHttpError } from '../http/vault-http.error.js';
import type { SafeRecord } from '../util/safe-object.js';
import type { MountEntry } from './mount-entry.js';

const RESERVED_MOUNTS = ['sys/', 'cubbyhole/', 'identity/', 'auth/'];

/** `/secret//` → `secret/`; an empty path is a 400. */
export function normaliseMountPath(raw: string): string {
  const trimmed = raw.replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === '') throw VaultHttpError.badRequest('missing mount path');
  return `${trimmed}/`;
}

/** A secrets engine may not be mounted at, under or above a built-in mount. */
export function checkNotReserved(path: string): void {
  for (const reserved of RESERVED_MOUNTS) {
    if (path === reserved) throw VaultHttpError.badRequest(`cannot mount "${reserved}"`);
    if (path.startsWith(reserved) || reserved.startsWith(path)) {
      throw VaultHttpError.badRequest(`cannot mount under existing mount "${reserved}"`);
    }
  }
}

/** Two mounts may not nest: `a/` and `a/b/` conflict. */
export function checkNoConflict(map: Map<string, MountEntry>, path: string, prefix = ''): void {
  for (const existing of map.keys()) {
    if (existing.startsWith(path) || path.startsWith(existing)) {
      throw VaultHttpError.badRequest(`path is already in use at ${prefix}${existing}`);
    }
  }
}

/** Mount options as Vault keeps them: strings only, no prototype keys. */
export function stringMap(value: SafeRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    out[k] = String(v);
  }
  return out;
}
