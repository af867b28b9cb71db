import { isIP } from 'node:net';
import { nonEmpty, own, stringList, type RawOptions, type Report } from './option-reader.js';
import { isSafePathSegment, renderSourcePath } from './path-template.js';
import type {
  ResolvedPkiSource,
  ResolvedStaticRoleSource,
} from './resolved-vault-config-options.interface.js';
import { resolveSourceMount } from './resolve-source-mount.js';

/** Seconds, or Go-style duration parts Vault accepts: `72h`, `1h30m`, `90s`. */
const DURATION = /^(\d+(s|m|h|d))+$/;

/** Options of path sources that a role source would silently ignore: a mistake worth naming. */
const PATH_ONLY = ['path', 'kv', 'keys', 'required'];

/**
 * A `pki` or `static` source: a mount and a role (`{env}` replaced), read at `issue/<role>` or
 * `static-creds/<role>`. Always required: a certificate or database login that cannot be had
 * fails the boot.
 */
export function resolveRoleSource(
  s: RawOptions,
  type: 'pki' | 'static',
  at: string,
  envName: string,
  problem: Report,
): ResolvedPkiSource | ResolvedStaticRoleSource | undefined {
  const mount = resolveSourceMount(s, at, problem);
  const role = rendered(own(s, 'role'), `${at}.role`, envName, problem);
  if (role !== undefined && !isSafePathSegment(role)) {
    problem(`${at}.role`, 'must be a role name: letters, digits, ".", "_" or "-"');
  }
  for (const key of PATH_ONLY) {
    if (own(s, key) !== undefined) problem(`${at}.${key}`, `is not used by ${type} sources`);
  }
  const prefix = own(s, 'prefix') ?? '';
  if (typeof prefix !== 'string') problem(`${at}.prefix`, 'must be a string');
  const base = { prefix: typeof prefix === 'string' ? prefix : '', required: true };
  const pki = type === 'pki' ? resolvePkiFields(s, at, envName, problem) : undefined;
  if (!mount || role === undefined || !isSafePathSegment(role)) return undefined;
  if (type === 'static') {
    return { type, mount, role, path: `static-creds/${role}`, ...base };
  }
  if (!pki) return undefined;
  return { type, mount, role, path: `issue/${role}`, ...base, ...pki };
}

function resolvePkiFields(
  s: RawOptions,
  at: string,
  envName: string,
  problem: Report,
): Pick<ResolvedPkiSource, 'commonName' | 'altNames' | 'ipSans' | 'ttl'> | undefined {
  const commonName = rendered(own(s, 'commonName'), `${at}.commonName`, envName, problem);
  const altNames = stringList(own(s, 'altNames'), `${at}.altNames`, problem) ?? [];
  const ipSans = stringList(own(s, 'ipSans'), `${at}.ipSans`, problem) ?? [];
  ipSans.forEach((ip, i) => {
    if (!isIP(ip)) problem(`${at}.ipSans[${i}]`, 'must be an IP address');
  });
  const ttl = own(s, 'ttl');
  const ttlOk =
    ttl === undefined ||
    (typeof ttl === 'number' && Number.isInteger(ttl) && ttl > 0) ||
    (typeof ttl === 'string' && DURATION.test(ttl));
  if (!ttlOk) {
    problem(`${at}.ttl`, "must be a duration such as '72h' or '30m', or a whole number of seconds");
  }
  if (commonName === undefined || !ttlOk || ipSans.some(ip => !isIP(ip))) return undefined;
  return {
    commonName,
    altNames,
    ipSans,
    ...(ttl !== undefined ? { ttl } : {}),
  };
}

/** A non-empty string option with `{env}` replaced; undefined (reported) otherwise. */
function rendered(
  value: unknown,
  at: string,
  envName: string,
  problem: Report,
): string | undefined {
  if (!nonEmpty(value)) {
    problem(at, 'must be a non-empty string');
    return undefined;
  }
  const out = renderSourcePath(value.trim(), envName);
  if ('error' in out) {
    problem(at, out.error);
    return undefined;
  }
  return out.path;
}
