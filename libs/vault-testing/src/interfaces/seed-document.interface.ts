/** A mount in a seed: `{ "type": "kv", "version": 2 }`. */
export interface SeedMount {
  type: string;
  version?: number | string;
  description?: string;
  options?: Record<string, string>;
}

export interface SeedAppRoleRole {
  token_policies?: string[];
  policies?: string[];
  token_ttl?: string | number;
  token_max_ttl?: string | number;
  secret_id_ttl?: string | number;
  secret_id_num_uses?: number;
  bind_secret_id?: boolean;
  role_id?: string;
  secret_id?: string;
  [key: string]: unknown;
}

export interface SeedKubernetesRole {
  bound_service_account_names: string[];
  bound_service_account_namespaces: string[];
  token_policies?: string[];
  policies?: string[];
  token_ttl?: string | number;
  token_max_ttl?: string | number;
  [key: string]: unknown;
}

/** A role of the `jwt` auth method (role_type `jwt`), as written to `auth/jwt/role/<name>`. */
export interface SeedJwtRole {
  role_type?: 'jwt';
  user_claim: string;
  bound_audiences?: string[];
  bound_subject?: string;
  bound_claims?: Record<string, string | string[]>;
  bound_claims_type?: 'string' | 'glob';
  token_policies?: string[];
  token_ttl?: string | number;
  token_max_ttl?: string | number;
  [key: string]: unknown;
}

/** A user of `userpass`, or of the stand-in LDAP directory (`groups` are directory groups). */
export interface SeedPasswordUser {
  password: string;
  token_policies?: string[];
  groups?: string[];
  [key: string]: unknown;
}

export interface SeedToken {
  id?: string;
  policies?: string[];
  ttl?: string | number;
  explicit_max_ttl?: string | number;
  renewable?: boolean;
  num_uses?: number;
  period?: string | number;
  no_default_policy?: boolean;
  display_name?: string;
  meta?: Record<string, string>;
}

export type SeedSecretValue = Record<string, unknown> | Array<Record<string, unknown>>;

/** What a namespace may hold in a seed (everything but tokens is per namespace). */
export interface SeedNamespace {
  mounts?: Record<string, SeedMount>;
  secrets?: Record<string, SeedSecretValue>;
  policies?: Record<string, string>;
  auth?: {
    approle?: { path?: string; roles?: Record<string, SeedAppRoleRole> };
    kubernetes?: {
      path?: string;
      config?: Record<string, unknown>;
      roles?: Record<string, SeedKubernetesRole>;
    };
    jwt?: {
      path?: string;
      config?: { jwt_validation_pubkeys: string[]; bound_issuer?: string; [key: string]: unknown };
      roles?: Record<string, SeedJwtRole>;
    };
    cert?: {
      path?: string;
      certs?: Record<string, { certificate: string; [key: string]: unknown }>;
    };
    userpass?: { path?: string; users?: Record<string, SeedPasswordUser> };
    ldap?: {
      path?: string;
      config?: Record<string, unknown>;
      groups?: Record<string, { policies: string[] }>;
      users?: Record<string, { groups?: string[]; policies?: string[] }>;
      /** Test server only: the stand-in directory, users who can bind and their groups. */
      directory?: Record<string, { password: string; groups?: string[] }>;
    };
  };
  tokens?: SeedToken[];
  namespaces?: Record<string, SeedNamespace>;
}

/** The seed format shared by the server, its CLI, the demo and docker-compose.vault.yml. */
export type SeedDocument = SeedNamespace;
