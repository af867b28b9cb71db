import type { CloudAuthOptions } from './cloud-auth-options.interface.js';
import type { StandardSchemaV1 } from './standard-schema.interface.js';
import type { VaultMetricsOptions } from './vault-metrics-options.interface.js';
import type { VaultTransport } from './vault-transport.interface.js';

/** `{ method: 'token' }`: token ?? VAULT_TOKEN ?? contents of `~/.vault-token` (as the Vault CLI does). */
export interface TokenAuthOptions {
  method: 'token';
  token?: string;
}

export interface TokenFileAuthOptions {
  method: 'tokenFile';
  path: string;
}

export interface AppRoleAuthOptions {
  method: 'approle';
  roleId: string;
  secretId?: string;
  secretIdFile?: string;
  /**
   * `secretId` / `secretIdFile` holds a response-wrapping token (`vault write -wrap-ttl=...
   * auth/approle/role/<role>/secret-id`): it is unwrapped once, before the first login, and the
   * secret ID is kept in memory for later logins. A file that later holds a new wrapping token is
   * unwrapped again. Default false.
   */
  secretIdWrapped?: boolean;
  /**
   * With `secretIdWrapped` (recommended): the role the secret ID must belong to. A wrapping token is
   * unwrapped only if created by `auth/<mount>/role/<role>/secret-id` (never a custom secret ID or a
   * token wrapped elsewhere), and with `roleName` only by that role (compared as Vault does, without
   * regard to case).
   */
  roleName?: string;
  /** Auth mount, default `approle`. */
  mount?: string;
}

export interface KubernetesAuthOptions {
  method: 'kubernetes';
  role: string;
  /** Default `/var/run/secrets/kubernetes.io/serviceaccount/token`. */
  jwtFile?: string;
  /** Auth mount, default `kubernetes`. */
  mount?: string;
}

/**
 * JWT/OIDC auth with a JWT issued elsewhere (GitHub Actions, GitLab CI, a Kubernetes projected
 * token, any OIDC provider): `POST auth/<mount>/login { role, jwt }`. Exactly one of `jwt` and
 * `jwtFile`; the file is read again at every login, since CI runners and Kubernetes rotate it.
 */
export interface JwtAuthOptions {
  method: 'jwt';
  role: string;
  jwt?: string;
  jwtFile?: string;
  /** Auth mount, default `jwt`. */
  mount?: string;
}

/**
 * TLS certificate auth: `POST auth/<mount>/login` over a connection presenting `tls.clientCert`
 * and `tls.clientKey` (or VAULT_CLIENT_CERT / VAULT_CLIENT_KEY).
 */
export interface CertAuthOptions {
  method: 'cert';
  /** The certificate role to log in against; default: any role whose CA trusts the certificate. */
  name?: string;
  /** Auth mount, default `cert`. */
  mount?: string;
}

/**
 * Username and password: `POST auth/<mount>/login/<username> { password }`. Exactly one of
 * `password` and `passwordFile`; the file is read again at every login.
 */
export interface UserpassAuthOptions {
  method: 'userpass';
  username: string;
  password?: string;
  passwordFile?: string;
  /** Auth mount, default `userpass`. */
  mount?: string;
}

/** As `userpass`, against Vault's LDAP auth method (the directory checks the password). */
export interface LdapAuthOptions {
  method: 'ldap';
  username: string;
  password?: string;
  passwordFile?: string;
  /** Auth mount, default `ldap`. */
  mount?: string;
}

export type VaultAuthOptions =
  | TokenAuthOptions
  | TokenFileAuthOptions
  | AppRoleAuthOptions
  | KubernetesAuthOptions
  | CloudAuthOptions
  | JwtAuthOptions
  | CertAuthOptions
  | UserpassAuthOptions
  | LdapAuthOptions;

export type VaultAuthMethodName = VaultAuthOptions['method'];

/**
 * Each of caCert / clientCert / clientKey is either a PEM string (it contains `-----BEGIN`) or a path
 * to a PEM file, read when the secrets are loaded. Each field falls back to the Vault CLI's variable:
 * VAULT_CACERT, VAULT_CAPATH, VAULT_CLIENT_CERT, VAULT_CLIENT_KEY, VAULT_TLS_SERVER_NAME.
 * VAULT_SKIP_VERIFY (read as Go's strconv.ParseBool, like the CLI: `1`, `t`, `true`, `TRUE`, `True`
 * and their false forms; anything else is an options error) turns `rejectUnauthorized` off unless the
 * option sets it.
 */
export interface VaultTlsOptions {
  caCert?: string;
  /** A directory of PEM CA certificate files (VAULT_CAPATH); used only without `caCert`, as the CLI. */
  caPath?: string;
  clientCert?: string;
  clientKey?: string;
  /** The name sent in SNI and checked in Vault's certificate (VAULT_TLS_SERVER_NAME). */
  serverName?: string;
  rejectUnauthorized?: boolean;
}

/**
 * `attempts` is the total number of tries per request (1 = no retry). Delays use exponential backoff
 * with full jitter: random(0, min(maxDelayMs, minDelayMs * 2^n)). A 429's Retry-After is honoured,
 * capped at maxDelayMs.
 */
export interface VaultRetryOptions {
  attempts?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
}

/** A source read from a path: a KV secret, or a dynamic secret with a lease. */
export interface VaultPathSource {
  /**
   * `'kv'` (default): a KV v1/v2 secret. `'dynamic'`: a read that issues a lease, such as database
   * credentials (`{ type: 'dynamic', mount: 'database', path: 'creds/app' }`): with
   * `VaultConfigModule` the lease is renewed before it expires, re-issued (a change event) when it
   * cannot be renewed, and revoked on shutdown with `revokeOnShutdown`.
   */
  type?: 'kv' | 'dynamic';
  /** Secrets engine mount, e.g. `secret`. */
  mount: string;
  /** Path inside the mount; `{env}` is replaced by `options.env ?? NODE_ENV ?? 'development'`. */
  path: string;
  /** KV version; `'auto'` (default) detects it once per mount. Ignored for `'dynamic'`. */
  kv?: 'auto' | 1 | 2;
  /** Default true: a missing path fails the load. Optional missing paths are skipped. */
  required?: boolean;
  /** Prepended to every key read from this source (`DB_` + `HOST` → `DB_HOST`). */
  prefix?: string;
  /** Only these keys (before the prefix) are taken from the secret. */
  keys?: string[];
}

/**
 * A certificate from the PKI engine: issued at boot (`POST <mount>/issue/<role>`) and served as
 * `<prefix>CERTIFICATE`, `<prefix>PRIVATE_KEY`, `<prefix>ISSUING_CA` and `<prefix>CA_CHAIN` (PEM;
 * the chain is the CA certificates above the leaf, one after the other). With `VaultConfigModule`
 * a new certificate is issued at about 2/3 of its lifetime (a change event with reason
 * `'certificate'`), and with `revokeOnShutdown` the current one is revoked on shutdown. The token
 * needs `update` on `<mount>/issue/<role>` (and on `<mount>/revoke` for `revokeOnShutdown`).
 */
export interface VaultPkiSource {
  type: 'pki';
  /** The PKI mount, e.g. `pki`. */
  mount: string;
  /** The role to issue with; `{env}` is replaced as in paths. */
  role: string;
  /** The certificate's common name (also a DNS SAN, as Vault does); `{env}` is replaced. */
  commonName: string;
  /** More DNS names (or e-mail addresses) for the SAN. */
  altNames?: string[];
  /** IP addresses for the SAN. */
  ipSans?: string[];
  /** Requested lifetime: a Vault duration (`'72h'`, `'30m'`) or seconds; default the role's TTL. */
  ttl?: string | number;
  /** Prepended to the four key names (`TLS_` → `TLS_CERTIFICATE`). */
  prefix?: string;
}

/**
 * Credentials of a database static role (`GET <mount>/static-creds/<role>`): one database user
 * whose password Vault rotates every `rotation_period`. Served as `<prefix>username` and
 * `<prefix>password`. With `VaultConfigModule` they are read again right after each rotation
 * (a change event with reason `'rotation'`). The token needs `read` on `<mount>/static-creds/<role>`.
 */
export interface VaultStaticRoleSource {
  type: 'static';
  /** The database secrets engine mount, e.g. `database`. */
  mount: string;
  /** The static role; `{env}` is replaced as in paths. */
  role: string;
  /** Prepended to `username` and `password` (`DB_` → `DB_password`). */
  prefix?: string;
}

export type VaultSecretSource = VaultPathSource | VaultPkiSource | VaultStaticRoleSource;

export interface VaultEnvFallbackOptions {
  /** Extra environment variable names per config key, tried in order after the key itself. */
  aliases?: Record<string, string[]>;
}

/**
 * Periodic re-read of the sources by `VaultConfigModule` (not by `loadVaultSecrets`). Each refresh
 * swaps one immutable snapshot, updates `ConfigService` and emits a change event (keys and versions,
 * never values) when something changed. A failed refresh keeps the last good secrets and backs off.
 */
export interface VaultRefreshOptions {
  /** Time between refreshes. */
  intervalMs: number;
  /** Random spread of each interval, as a fraction of it (0–1); default 0.1. */
  jitter?: number;
  /**
   * Check KV v2 `metadata/<path>` `current_version` first and read the data only when it changed.
   * Saves bytes when secrets are large; needs `read` on `<mount>/metadata/<path>` (a denied metadata
   * read falls back to reading the data). Default false: one data GET per path.
   */
  useMetadata?: boolean;
  /** Ceiling of the backoff after failed refreshes; default max(intervalMs, 300000). */
  maxBackoffMs?: number;
}

/** Any class decorated with class-validator decorators. */
export type VaultSchemaClass = new (...args: never[]) => object;

/**
 * What `schema` takes: a class-validator class, or a Standard Schema object (Zod, Valibot, ArkType:
 * anything with a `~standard` property), validated with its own library.
 */
export type VaultSecretsSchema = VaultSchemaClass | StandardSchemaV1;

export interface VaultConfigOptions {
  /**
   * Vault address; default VAULT_ADDR. Required unless `enabled: false` or a `transport` is given.
   * A list names the nodes of one cluster, in order of preference: requests go to the first that
   * answers; on a refused or reset connection, a timeout, a 5xx, a sealed node or a redirect the
   * client moves to the next and stays there while it works. A request that may have reached Vault
   * is sent to another node only when repeating it is harmless (see the README, "Vault cluster").
   */
  address?: string | string[];
  /** Default VAULT_NAMESPACE. */
  namespace?: string;
  /** Default true. `false` loads environment and defaults only, without contacting Vault. */
  enabled?: boolean;
  auth?: VaultAuthOptions;
  tls?: VaultTlsOptions;
  /** Per request, default 5000. */
  timeoutMs?: number;
  retry?: VaultRetryOptions;
  sources?: VaultSecretSource[];
  /** Default true. */
  envFallback?: boolean | VaultEnvFallbackOptions;
  defaults?: Record<string, string | number | boolean>;
  required?: string[];
  /**
   * Validates (and converts) the merged values at boot and on every refresh: a class-validator
   * class or a Standard Schema (e.g. `z.object({ PORT: z.coerce.number() })`). Its conversions are
   * what `ConfigService` and `SecretsService` serve; `SecretsOf<typeof schema>` types them.
   */
  schema?: VaultSecretsSchema;
  /** Parallel requests (and sockets), default 16. */
  concurrency?: number;
  /** Default 'fail'. 'fallback' boots from environment and defaults when Vault is unreachable. */
  onUnavailable?: 'fail' | 'fallback';
  transport?: VaultTransport;
  /** Replaces `{env}` in source paths; default NODE_ENV, then 'development'. */
  env?: string;
  /** Re-read sources while the app runs (`VaultConfigModule` only). Default: off. */
  refresh?: VaultRefreshOptions;
  /**
   * Keep the token alive while the app runs (`VaultConfigModule` only): renew at about 2/3 of its
   * TTL, log in again (any login method; a token file is read again) when it cannot be renewed or
   * its max TTL is near. Default true.
   */
  renewToken?: boolean;
  /**
   * On shutdown, revoke the leases of dynamic sources, the certificates of PKI sources and the
   * token this module logged in with (any login method; a token you gave it is never revoked).
   * Default false.
   */
  revokeOnShutdown?: boolean;
  /**
   * OpenTelemetry metrics of `VaultConfigModule` (docs/metrics.md): loaded from `@opentelemetry/api`
   * after the first load when it is installed, a no-op without it. `false`: never loaded. Default true.
   */
  metrics?: boolean | VaultMetricsOptions;
}
