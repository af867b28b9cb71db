import { VaultHttpError } from '../../http/vault-http.error.js';
import { parseNumber, parseStringList, toBool } from '../../auth/auth-params.js';
import { parseDurationSeconds } from '../../util/duration.js';
import type { SafeRecord } from '../../util/safe-object.js';
import { checkKeyParameters, type PkiKeyType } from './pki-keys.js';
import { KEY_USAGE_BITS } from './x509-certificate.js';

/** A `pki/roles/<name>`: which names it may sign, for how long, with which key. */
export interface PkiRole {
  allowedDomains: string[];
  allowSubdomains: boolean;
  allowBareDomains: boolean;
  allowGlobDomains: boolean;
  allowAnyName: boolean;
  allowLocalhost: boolean;
  allowIpSans: boolean;
  allowWildcardCertificates: boolean;
  enforceHostnames: boolean;
  /** `any` is for signing CSRs only: issuing refuses it. */
  keyType: PkiKeyType | 'any';
  keyBits: number;
  keyUsage: string[];
  serverFlag: boolean;
  clientFlag: boolean;
  ttl: number;
  maxTtl: number;
  notBeforeDuration: number;
  requireCn: boolean;
  noStore: boolean;
  issuerRef: string;
}

const DEFAULT_KEY_USAGE = ['DigitalSignature', 'KeyAgreement', 'KeyEncipherment'];

const flag = (body: SafeRecord, field: string, fallback: boolean): boolean =>
  body[field] === undefined ? fallback : toBool(body[field], field);

/** Durations as Vault's field parser reports a bad one. */
export function fieldDuration(body: SafeRecord, field: string, fallback: number): number {
  try {
    return parseDurationSeconds(body[field], fallback);
  } catch (error) {
    const reason = error instanceof VaultHttpError ? error.errors[0] : 'invalid duration';
    throw VaultHttpError.badRequest(
      `Field validation failed: error converting input for field "${field}": ${reason}`,
    );
  }
}

/** A role write replaces the role: fields not given take their defaults (as in Vault). */
export function parsePkiRole(body: SafeRecord): PkiRole {
  const key = checkKeyParameters(body.key_type ?? 'rsa', parseNumber(body.key_bits, 0));
  const keyUsage = parseStringList(body.key_usage) ?? DEFAULT_KEY_USAGE;
  const ttl = fieldDuration(body, 'ttl', 0);
  const maxTtl = fieldDuration(body, 'max_ttl', 0);
  if (maxTtl > 0 && ttl > maxTtl) {
    throw VaultHttpError.badRequest('"ttl" value must be less than "max_ttl" value');
  }
  return {
    allowedDomains: parseStringList(body.allowed_domains) ?? [],
    allowSubdomains: flag(body, 'allow_subdomains', false),
    allowBareDomains: flag(body, 'allow_bare_domains', false),
    allowGlobDomains: flag(body, 'allow_glob_domains', false),
    allowAnyName: flag(body, 'allow_any_name', false),
    allowLocalhost: flag(body, 'allow_localhost', true),
    allowIpSans: flag(body, 'allow_ip_sans', true),
    allowWildcardCertificates: flag(body, 'allow_wildcard_certificates', true),
    enforceHostnames: flag(body, 'enforce_hostnames', true),
    keyType: key.type,
    keyBits: key.bits,
    keyUsage,
    serverFlag: flag(body, 'server_flag', true),
    clientFlag: flag(body, 'client_flag', true),
    ttl,
    maxTtl,
    notBeforeDuration: fieldDuration(body, 'not_before_duration', 30),
    requireCn: flag(body, 'require_cn', true),
    noStore: flag(body, 'no_store', false),
    issuerRef: typeof body.issuer_ref === 'string' && body.issuer_ref ? body.issuer_ref : 'default',
  };
}

/** The KeyUsage bits of the role's `key_usage` names (any case; unknown names are skipped, as in Vault). */
export function keyUsageBits(role: PkiRole): number[] {
  const byName = new Map(Object.entries(KEY_USAGE_BITS).map(([k, v]) => [k.toLowerCase(), v]));
  return role.keyUsage.flatMap(name => {
    const bit = byName.get(name.toLowerCase());
    return bit === undefined ? [] : [bit];
  });
}

/** The role as `GET pki/roles/<name>` (and the write) answer it. */
export function pkiRoleData(role: PkiRole): Record<string, unknown> {
  return {
    allow_any_name: role.allowAnyName,
    allow_bare_domains: role.allowBareDomains,
    allow_glob_domains: role.allowGlobDomains,
    allow_ip_sans: role.allowIpSans,
    allow_localhost: role.allowLocalhost,
    allow_subdomains: role.allowSubdomains,
    allow_wildcard_certificates: role.allowWildcardCertificates,
    allowed_domains: [...role.allowedDomains],
    allowed_uri_sans: [],
    client_flag: role.clientFlag,
    enforce_hostnames: role.enforceHostnames,
    ext_key_usage: [],
    generate_lease: false,
    issuer_ref: role.issuerRef,
    key_bits: role.keyBits,
    key_type: role.keyType,
    key_usage: [...role.keyUsage],
    max_ttl: role.maxTtl,
    no_store: role.noStore,
    not_before_duration: role.notBeforeDuration,
    require_cn: role.requireCn,
    server_flag: role.serverFlag,
    ttl: role.ttl,
  };
}
