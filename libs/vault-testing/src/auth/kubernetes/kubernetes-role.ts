import { VaultHttpError } from '../../http/vault-http.error.js';
import { parseDurationSeconds } from '../../util/duration.js';
import type { SafeRecord } from '../../util/safe-object.js';
import { parseNumber, parseStringList, toBool } from '../auth-params.js';

export interface KubernetesRole {
  name: string;
  boundNames: string[];
  boundNamespaces: string[];
  /** When set, the JWT's `aud` and the TokenReview's audiences must hold it. */
  audience: string;
  tokenPolicies: string[];
  tokenTtl: number;
  tokenMaxTtl: number;
  tokenPeriod: number;
  tokenNumUses: number;
  tokenNoDefaultPolicy: boolean;
}

/** `auth/kubernetes/role/<name>` written over `existing`, with Vault's checks and messages. */
export function parseKubernetesRole(
  name: string,
  body: SafeRecord,
  existing: KubernetesRole | undefined,
): KubernetesRole {
  const names = parseStringList(body.bound_service_account_names) ?? existing?.boundNames ?? [];
  const namespaces =
    parseStringList(body.bound_service_account_namespaces) ?? existing?.boundNamespaces ?? [];
  if (!names.length)
    throw VaultHttpError.badRequest('"bound_service_account_names" can not be empty');
  if (!namespaces.length) {
    throw VaultHttpError.badRequest('"bound_service_account_namespaces" can not be empty');
  }
  if (names.length > 1 && names.includes('*')) {
    throw VaultHttpError.badRequest('can not mix "*" with values');
  }
  const dur = (key: string, current: number) =>
    body[key] === undefined ? current : parseDurationSeconds(body[key]);
  return {
    name,
    boundNames: names,
    boundNamespaces: namespaces,
    audience: typeof body.audience === 'string' ? body.audience : (existing?.audience ?? ''),
    tokenPolicies:
      parseStringList(body.token_policies ?? body.policies) ?? existing?.tokenPolicies ?? [],
    tokenTtl: dur('token_ttl', existing?.tokenTtl ?? 0),
    tokenMaxTtl: dur('token_max_ttl', existing?.tokenMaxTtl ?? 0),
    tokenPeriod: dur('token_period', existing?.tokenPeriod ?? 0),
    tokenNumUses: parseNumber(body.token_num_uses, existing?.tokenNumUses ?? 0),
    tokenNoDefaultPolicy:
      body.token_no_default_policy === undefined
        ? (existing?.tokenNoDefaultPolicy ?? false)
        : toBool(body.token_no_default_policy),
  };
}

export function describeKubernetesRole(role: KubernetesRole) {
  return {
    alias_name_source: 'serviceaccount_uid',
    ...(role.audience ? { audience: role.audience } : {}),
    bound_service_account_names: [...role.boundNames],
    bound_service_account_namespace_selector: '',
    bound_service_account_namespaces: [...role.boundNamespaces],
    token_bound_cidrs: [],
    token_explicit_max_ttl: 0,
    token_max_ttl: role.tokenMaxTtl,
    token_no_default_policy: role.tokenNoDefaultPolicy,
    token_num_uses: role.tokenNumUses,
    token_period: role.tokenPeriod,
    token_policies: [...role.tokenPolicies],
    token_strictly_bind_ip: false,
    token_ttl: role.tokenTtl,
    token_type: 'default',
  };
}
