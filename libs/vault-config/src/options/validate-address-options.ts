import {
  envValue,
  isHeaderValue,
  nonEmpty,
  NOT_A_HEADER_VALUE,
  own,
  type RawOptions,
  type Report,
} from './option-reader.js';
import { normalizeVaultPath } from './path-template.js';

/** More would be a configuration mistake: a failover pass tries each address once. */
export const MAX_ADDRESSES = 16;

const URL_PROBLEM = 'must be an http:// or https:// URL';
const EXAMPLE = '(e.g. https://vault.example.com:8200)';

/**
 * Where Vault is: `address` (one URL or a list of the nodes of one cluster, in order of preference;
 * or VAULT_ADDR, which holds one) and `namespace` (or VAULT_NAMESPACE). An option wins over its
 * variable. A URL with credentials, a query or a fragment is refused, because the address ends up
 * in logs and error messages. `address` is the first address, `addresses` all of them.
 */
export function validateAddressOptions(
  raw: RawOptions,
  env: NodeJS.ProcessEnv,
  addressRequired: boolean,
  problem: Report,
): { address?: string; addresses?: string[]; namespace?: string } {
  const addresses = resolveAddresses(raw, env, addressRequired, problem);
  const namespace = resolveNamespace(raw, env, problem);
  return {
    ...(addresses?.length ? { address: addresses[0], addresses } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
  };
}

function resolveAddresses(
  raw: RawOptions,
  env: NodeJS.ProcessEnv,
  required: boolean,
  problem: Report,
): string[] | undefined {
  const rawAddress = own(raw, 'address');
  if (Array.isArray(rawAddress)) return addressList(rawAddress as unknown[], problem);
  if (rawAddress !== undefined && !nonEmpty(rawAddress)) {
    problem('address', `must be a non-empty string ${EXAMPLE} or a list of them`);
    return undefined;
  }
  if (rawAddress !== undefined) return oneAddress(rawAddress, 'address', problem);
  const variable = envValue(env, 'VAULT_ADDR');
  if (variable === undefined) {
    if (required) problem('address', 'is required (or set VAULT_ADDR, or enabled: false)');
    return undefined;
  }
  const parsed = parseAddress(variable);
  if (parsed === undefined) {
    problem(
      'address (from VAULT_ADDR)',
      variable.includes(',')
        ? `${URL_PROBLEM}; VAULT_ADDR holds one address, give several in the address option`
        : URL_PROBLEM,
    );
  }
  return parsed !== undefined ? [parsed] : undefined;
}

function oneAddress(value: string, option: string, problem: Report): string[] | undefined {
  const parsed = parseAddress(value);
  if (parsed === undefined) problem(option, URL_PROBLEM);
  return parsed !== undefined ? [parsed] : undefined;
}

/** Every entry checked like a single address, each problem named by its index. */
function addressList(list: unknown[], problem: Report): string[] | undefined {
  if (list.length === 0 || list.length > MAX_ADDRESSES) {
    problem('address', `must list 1 to ${MAX_ADDRESSES} addresses`);
    return undefined;
  }
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    const option = `address[${i}]`;
    if (!nonEmpty(item)) return problem(option, `must be a non-empty string ${EXAMPLE}`);
    const parsed = parseAddress(item);
    if (parsed === undefined) return problem(option, URL_PROBLEM);
    const first = seen.get(parsed);
    if (first !== undefined) return problem(option, `repeats address[${first}]`);
    seen.set(parsed, i);
  });
  return seen.size === list.length ? [...seen.keys()] : undefined;
}

function parseAddress(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
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
  const option = rawNamespace !== undefined ? 'namespace' : 'namespace (from VAULT_NAMESPACE)';
  if (!isHeaderValue(ns)) {
    problem(option, NOT_A_HEADER_VALUE);
    return undefined;
  }
  const normalized = normalizeVaultPath(ns);
  if (normalized === undefined) {
    problem('namespace', 'must be a namespace path such as team-a or team-a/child');
  }
  return normalized;
}

/** Said once at boot when an address is plain http:// to a host that is not this machine. */
export const PLAINTEXT_ADDRESS_WARNING =
  'Vault is addressed over plain http:// on a host that is not loopback: the token and the ' +
  'secrets cross the network unencrypted. Use an https:// address.';

/** Whether any of `addresses` sends the token in clear text beyond this machine. */
export function hasPlaintextRemoteAddress(addresses: readonly string[]): boolean {
  return addresses.some(address => {
    const url = new URL(address);
    return url.protocol === 'http:' && !isLoopbackHost(url.hostname);
  });
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
    /^::ffff:127\./.test(host)
  );
}
