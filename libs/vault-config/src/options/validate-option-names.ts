import type {
  VaultAuthOptions,
  VaultConfigOptions,
  VaultEnvFallbackOptions,
  VaultRefreshOptions,
  VaultRetryOptions,
  VaultPathSource,
  VaultPkiSource,
  VaultStaticRoleSource,
  VaultTlsOptions,
} from '../interfaces/vault-config-options.interface.js';
import type { VaultHealthOptions } from '../interfaces/vault-health-options.interface.js';
import type { VaultMetricsOptions } from '../interfaces/vault-metrics-options.interface.js';
import { isObject } from '../utils/is-object.js';
import { closestName } from './closest-name.js';
import { own, type RawOptions, type Report } from './option-reader.js';

// Every option name, checked against the interfaces: a key added to an interface without adding it
// here (or the other way round) does not compile.
type Names<T> = Record<keyof T, true>;

const TOP_LEVEL = {
  address: true,
  namespace: true,
  enabled: true,
  auth: true,
  tls: true,
  timeoutMs: true,
  retry: true,
  sources: true,
  envFallback: true,
  defaults: true,
  required: true,
  schema: true,
  concurrency: true,
  onUnavailable: true,
  transport: true,
  env: true,
  refresh: true,
  renewToken: true,
  revokeOnShutdown: true,
  metrics: true,
  healthCacheMs: true,
  healthTimeoutMs: true,
  healthMaxStalenessMs: true,
} satisfies Names<VaultConfigOptions & VaultHealthOptions>;

type AuthNames = { [A in VaultAuthOptions as A['method']]: Names<A> };
const AUTH = {
  token: { method: true, token: true },
  tokenFile: { method: true, path: true },
  approle: {
    method: true,
    roleId: true,
    secretId: true,
    secretIdFile: true,
    secretIdWrapped: true,
    roleName: true,
    mount: true,
  },
  jwt: { method: true, role: true, jwt: true, jwtFile: true, mount: true },
  cert: { method: true, name: true, mount: true },
  userpass: { method: true, username: true, password: true, passwordFile: true, mount: true },
  ldap: { method: true, username: true, password: true, passwordFile: true, mount: true },
  kubernetes: { method: true, role: true, jwtFile: true, mount: true },
  aws: { method: true, role: true, mount: true, region: true, iamServerIdHeader: true },
  gcp: {
    method: true,
    role: true,
    mount: true,
    type: true,
    serviceAccountEmail: true,
    iamCredentialsEndpoint: true,
  },
  azure: { method: true, role: true, mount: true, resource: true, imdsEndpoint: true },
} satisfies AuthNames;

const TLS = {
  caCert: true,
  caPath: true,
  clientCert: true,
  clientKey: true,
  serverName: true,
  rejectUnauthorized: true,
} satisfies Names<VaultTlsOptions>;
const RETRY = {
  attempts: true,
  minDelayMs: true,
  maxDelayMs: true,
} satisfies Names<VaultRetryOptions>;
const REFRESH = {
  intervalMs: true,
  jitter: true,
  useMetadata: true,
  maxBackoffMs: true,
} satisfies Names<VaultRefreshOptions>;
const ENV_FALLBACK = { aliases: true } satisfies Names<VaultEnvFallbackOptions>;
const METRICS = { meterProvider: true } satisfies Names<VaultMetricsOptions>;
const PATH_SOURCE = {
  type: true,
  mount: true,
  path: true,
  kv: true,
  required: true,
  prefix: true,
  keys: true,
} satisfies Names<VaultPathSource>;
// A path-source key on a pki or static source is reported by their own validation ("is not used
// by pki sources"): counted as known here, so it is not reported twice.
const ROLE_SOURCES = {
  pki: {
    ...PATH_SOURCE,
    ...({
      type: true,
      mount: true,
      role: true,
      commonName: true,
      altNames: true,
      ipSans: true,
      ttl: true,
      prefix: true,
    } satisfies Names<VaultPkiSource>),
  },
  static: {
    ...PATH_SOURCE,
    ...({
      type: true,
      mount: true,
      role: true,
      prefix: true,
    } satisfies Names<VaultStaticRoleSource>),
  },
};

/**
 * An unknown key anywhere in the options (a typo such as `refesh`, or an option of a newer version)
 * is a problem naming it, with the closest known name when one is near — instead of booting as if
 * it were absent. Free-form maps (`defaults`, `envFallback.aliases`) are not checked.
 */
export function validateOptionNames(raw: RawOptions, problem: Report): void {
  checkNames(raw, TOP_LEVEL, '', problem);
  const auth = own(raw, 'auth');
  if (isObject(auth)) {
    const method = own(auth, 'method');
    const names =
      typeof method === 'string' && Object.hasOwn(AUTH, method)
        ? AUTH[method as keyof typeof AUTH]
        : undefined;
    if (names) checkNames(auth, names, 'auth.', problem);
  }
  for (const [key, names] of [
    ['tls', TLS],
    ['retry', RETRY],
    ['refresh', REFRESH],
    ['envFallback', ENV_FALLBACK],
    ['metrics', METRICS],
  ] as const) {
    const value = own(raw, key);
    if (isObject(value)) checkNames(value, names, `${key}.`, problem);
  }
  const sources = own(raw, 'sources');
  if (Array.isArray(sources)) {
    sources.forEach((source, i) => {
      if (!isObject(source)) return;
      const type = own(source, 'type');
      const names = type === 'pki' || type === 'static' ? ROLE_SOURCES[type] : PATH_SOURCE;
      checkNames(source, names, `sources[${i}].`, problem);
    });
  }
}

function checkNames(
  value: RawOptions,
  known: Record<string, true>,
  prefix: string,
  problem: Report,
): void {
  const names = Object.keys(known);
  for (const key of Object.keys(value)) {
    if (Object.hasOwn(known, key)) continue;
    const near = closestName(key, names);
    problem(
      `${prefix}${shown(key)}`,
      `is not an option${near ? `; did you mean ${prefix}${near}?` : ''} (known: ${names.join(', ')})`,
    );
  }
}

/** An option name as typed, unless it could be anything but a name. */
const shown = (key: string): string => (/^[\w$-]{1,64}$/.test(key) ? key : '<an unknown key>');
