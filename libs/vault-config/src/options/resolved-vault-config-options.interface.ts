import type {
  VaultAuthMethodName,
  VaultSecretsSchema,
} from '../interfaces/vault-config-options.interface.js';
import type { VaultMetricsOptions } from '../interfaces/vault-metrics-options.interface.js';
import type { VaultTransport } from '../interfaces/vault-transport.interface.js';
import type { ResolvedCloudAuthOptions } from './resolved-cloud-auth-options.interface.js';
import type { SensitiveValue } from './sensitive-value.js';

export type ResolvedAuthOptions =
  | {
      method: 'token';
      token?: SensitiveValue;
      /** Where the token came from; without one, `~/.vault-token` (or a transport's own token). */
      tokenFrom?: 'auth.token' | 'VAULT_TOKEN';
      /** No `auth` option was given (token auth by default). */
      implicit?: true;
    }
  | { method: 'tokenFile'; path: string }
  | {
      method: 'approle';
      roleId: SensitiveValue;
      secretId?: SensitiveValue;
      secretIdFile?: string;
      secretIdWrapped: boolean;
      /** With secretIdWrapped: only secret IDs of this role are unwrapped. */
      roleName?: string;
      mount: string;
    }
  | { method: 'kubernetes'; role: string; jwtFile: string; mount: string }
  | ResolvedCloudAuthOptions
  | { method: 'jwt'; role: string; jwt?: SensitiveValue; jwtFile?: string; mount: string }
  | { method: 'cert'; name?: string; mount: string }
  | {
      method: 'userpass' | 'ldap';
      username: string;
      password?: SensitiveValue;
      passwordFile?: string;
      mount: string;
    };

export interface ResolvedTlsOptions {
  /** PEM text or a file path each; see VaultTlsOptions. */
  caCert?: string;
  clientCert?: string;
  clientKey?: SensitiveValue;
  /** A directory of PEM CA certificates (only when caCert is not set, as the Vault CLI does). */
  caPath?: string;
  /** The TLS server name (SNI, and the name checked in the certificate). */
  serverName?: string;
  rejectUnauthorized: boolean;
}

export interface ResolvedRetryOptions {
  attempts: number;
  minDelayMs: number;
  maxDelayMs: number;
}

interface ResolvedSourceBase {
  mount: string;
  /** The path read inside the mount, `{env}` already replaced (`issue/<role>` for PKI). */
  path: string;
  required: boolean;
  prefix: string;
  keys?: string[];
}

/** A KV or dynamic source. */
export interface ResolvedPathSource extends ResolvedSourceBase {
  type: 'kv' | 'dynamic';
  kv: 'auto' | 1 | 2;
}

export interface ResolvedPkiSource extends ResolvedSourceBase {
  type: 'pki';
  role: string;
  commonName: string;
  altNames: string[];
  ipSans: string[];
  ttl?: string | number;
}

export interface ResolvedStaticRoleSource extends ResolvedSourceBase {
  type: 'static';
  role: string;
}

export type ResolvedSecretSource =
  ResolvedPathSource | ResolvedPkiSource | ResolvedStaticRoleSource;

export interface ResolvedRefreshOptions {
  intervalMs: number;
  jitter: number;
  useMetadata: boolean;
  maxBackoffMs: number;
}

export interface ResolvedHealthOptions {
  cacheMs: number;
  timeoutMs: number;
  /** Undefined: no staleness check (no refresh and no healthMaxStalenessMs). */
  maxStalenessMs?: number;
}

/** Options after validation, defaults and VAULT_* environment variables. */
export interface ResolvedVaultConfigOptions {
  enabled: boolean;
  /** The first (or only) address. */
  address?: string;
  /** Every address, in order of preference; present whenever `address` is. */
  addresses?: readonly string[];
  namespace?: string;
  auth: ResolvedAuthOptions;
  authMethod: VaultAuthMethodName;
  tls: ResolvedTlsOptions;
  timeoutMs: number;
  retry: ResolvedRetryOptions;
  sources: ResolvedSecretSource[];
  envFallback: false | { aliases: ReadonlyMap<string, string[]> };
  defaults: ReadonlyMap<string, string | number | boolean>;
  required: string[];
  schema?: VaultSecretsSchema;
  concurrency: number;
  onUnavailable: 'fail' | 'fallback';
  transport?: VaultTransport;
  env: string;
  refresh?: ResolvedRefreshOptions;
  renewToken: boolean;
  revokeOnShutdown: boolean;
  health: ResolvedHealthOptions;
  /** `false`: `@opentelemetry/api` is never loaded. */
  metrics: false | VaultMetricsOptions;
}
