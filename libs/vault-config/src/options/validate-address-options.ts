import { envValue, nonEmpty, own, type RawOptions, type Report } from './option-reader.js';
import { normalizeVaultPath } from './path-template.js';

/**
 * Where Vault is: `address` (or VAULT_ADDR) and `namespace` (or VAULT_NAMESPACE). An option wins
 * over its variable. A URL with credentials, a query or a fragment is refused, because the address
 * ends up in logs and error messages.
 */
export function validateAddressOptions(
  raw: RawOptions,
  env: NodeJS.ProcessEnv,
  addressRequired: boolean,
  problem: Report,
): { address?: string; namespace?: string } {
  const address = resolveAddress(raw, env, addressRequired, problem);
  const namespace = resolveNamespace(raw, env, problem);
  return {
    ...(address !== undefined ? { address } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
  };
}

function resolveAddress(
  raw: RawOptions,
  env: NodeJS.ProcessEnv,
  required: boolean,
  problem: Report,
): string | undefined {
  const rawAddress = own(raw, 'address');
  if (rawAddress !== undefined && !nonEmpty(rawAddress)) {
    problem('address', 'must be a non-empty string (e.g. https://vault.example.com:8200)');
    return undefined;
  }
  const candidate = rawAddress?.trim() ?? envValue(env, 'VAULT_ADDR');
  if (candidate === undefined) {
    if (required) problem('address', 'is required (or set VAULT_ADDR, or enabled: false)');
    return undefined;
  }
  const parsed = parseAddress(candidate);
  if (parsed === undefined) {
    problem(
      rawAddress !== undefined ? 'address' : 'address (from VAULT_ADDR)',
      'must be an http:// or https:// URL',
    );
  }
  return parsed;
}

function parseAddress(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.username || url.password || url.search || url.hash) return undefined;
    return url.toString().replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

function resolveNamespace(
  raw: RawOptions,
  env: NodeJS.ProcessEnv,
  problem: Report,
): string | undefined {
  const rawNamespace = own(raw, 'namespace');
  if (rawNamespace !== undefined && !nonEmpty(rawNamespace)) {
    problem('namespace', 'must be a non-empty string');
    return undefined;
  }
  const ns = rawNamespace ?? envValue(env, 'VAULT_NAMESPACE');
  if (ns === undefined) return undefined;
  const normalized = normalizeVaultPath(ns);
  if (normalized === undefined) {
    problem('namespace', 'must be a namespace path such as team-a or team-a/child');
  }
  return normalized;
}
