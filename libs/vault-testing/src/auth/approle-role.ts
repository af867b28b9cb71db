import { randomUUID } from 'node:crypto';
import { VaultHttpError } from '../http/vault-http.error.js';
import { parseDurationSeconds } from '../util/duration.js';
import type { SafeRecord } from '../util/safe-object.js';
import { parseNumber, parseStringList, toBool } from './auth-params.js';

/** One AppRole role: how its secret IDs are issued and what tokens its logins get. */
export interface AppRole {
  name: string;
  roleId: string;
  bindSecretId: boolean;
  secretIdTtl: number;
  secretIdNumUses: number;
  tokenPolicies: string[];
  tokenTtl: number;
  tokenMaxTtl: number;
  tokenExplicitMaxTtl: number;
  tokenNumUses: number;
  tokenPeriod: number;
  tokenNoDefaultPolicy: boolean;
  entityId: string;
}

/** A role as a first write creates it: a random role ID, a secret ID required, no limits. */
export function newAppRole(name: string): AppRole {
  return {
    name,
    roleId: randomUUID(),
    bindSecretId: true,
    secretIdTtl: 0,
    secretIdNumUses: 0,
    tokenPolicies: [],
    tokenTtl: 0,
    tokenMaxTtl: 0,
    tokenExplicitMaxTtl: 0,
    tokenNumUses: 0,
    tokenPeriod: 0,
    tokenNoDefaultPolicy: false,
    entityId: randomUUID(),
  };
}

/** `role` with the fields of a `role/<name>` write applied (absent fields keep their value). */
export function applyRoleFields(role: AppRole, body: SafeRecord): AppRole {
  const dur = (key: string, current: number) =>
    body[key] === undefined ? current : parseDurationSeconds(body[key]);
  const next: AppRole = {
    ...role,
    bindSecretId:
      body.bind_secret_id === undefined ? role.bindSecretId : toBool(body.bind_secret_id),
    secretIdTtl: dur('secret_id_ttl', role.secretIdTtl),
    secretIdNumUses: parseNumber(body.secret_id_num_uses, role.secretIdNumUses),
    tokenPolicies: parseStringList(body.token_policies ?? body.policies) ?? role.tokenPolicies,
    tokenTtl: dur('token_ttl', role.tokenTtl),
    tokenMaxTtl: dur('token_max_ttl', role.tokenMaxTtl),
    tokenExplicitMaxTtl: dur('token_explicit_max_ttl', role.tokenExplicitMaxTtl),
    tokenNumUses: parseNumber(body.token_num_uses, role.tokenNumUses),
    tokenPeriod: dur('token_period', dur('period', role.tokenPeriod)),
    tokenNoDefaultPolicy:
      body.token_no_default_policy === undefined
        ? role.tokenNoDefaultPolicy
        : toBool(body.token_no_default_policy),
  };
  if (next.secretIdNumUses < 0)
    throw VaultHttpError.badRequest('secret_id_num_uses cannot be negative');
  if (next.tokenMaxTtl > 0 && next.tokenTtl > next.tokenMaxTtl) {
    throw VaultHttpError.badRequest('"token_ttl" cannot be greater than "token_max_ttl"');
  }
  return next;
}

/** `GET role/<name>` data. */
export function describeRole(role: AppRole) {
  return {
    bind_secret_id: role.bindSecretId,
    local_secret_ids: false,
    secret_id_bound_cidrs: null,
    secret_id_num_uses: role.secretIdNumUses,
    secret_id_ttl: role.secretIdTtl,
    token_bound_cidrs: [],
    token_explicit_max_ttl: role.tokenExplicitMaxTtl,
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
