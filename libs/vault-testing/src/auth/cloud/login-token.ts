import { randomUUID } from 'node:crypto';
import type { EngineRequest } from '../../engines/secret-engine.interface.js';
import { VaultHttpError } from '../../http/vault-http.error.js';
import type { VaultResult } from '../../http/vault-result.interface.js';
import { parseDurationSeconds } from '../../util/duration.js';
import type { SafeRecord } from '../../util/safe-object.js';
import { parseNumber, parseStringList, toBool } from '../auth-params.js';
import { normalisePolicies } from '../token-auth.backend.js';
import { authBlock } from '../token-response.js';

/** The `token_*` fields every Vault auth role shares (tokenutil.TokenParams). */
export interface TokenFields {
  tokenPolicies: string[];
  tokenTtl: number;
  tokenMaxTtl: number;
  tokenPeriod: number;
  tokenNumUses: number;
  tokenNoDefaultPolicy: boolean;
}

export const NO_TOKEN_FIELDS: TokenFields = {
  tokenPolicies: [],
  tokenTtl: 0,
  tokenMaxTtl: 0,
  tokenPeriod: 0,
  tokenNumUses: 0,
  tokenNoDefaultPolicy: false,
};

/** The token fields of a role write (`policies`, `ttl`, `max_ttl`, `period` as their old names). */
export function parseTokenFields(body: SafeRecord, current: TokenFields): TokenFields {
  const dur = (key: string, old: string, value: number) => {
    const raw = body[key] ?? body[old];
    return raw === undefined ? value : parseDurationSeconds(raw);
  };
  const next: TokenFields = {
    tokenPolicies: parseStringList(body.token_policies ?? body.policies) ?? current.tokenPolicies,
    tokenTtl: dur('token_ttl', 'ttl', current.tokenTtl),
    tokenMaxTtl: dur('token_max_ttl', 'max_ttl', current.tokenMaxTtl),
    tokenPeriod: dur('token_period', 'period', current.tokenPeriod),
    tokenNumUses: parseNumber(body.token_num_uses, current.tokenNumUses),
    tokenNoDefaultPolicy:
      body.token_no_default_policy === undefined
        ? current.tokenNoDefaultPolicy
        : toBool(body.token_no_default_policy, 'token_no_default_policy'),
  };
  if (next.tokenNumUses < 0) throw VaultHttpError.badRequest('token num uses cannot be negative');
  if (next.tokenMaxTtl > 0 && next.tokenTtl > next.tokenMaxTtl) {
    throw VaultHttpError.badRequest('ttl should not be greater than max_ttl');
  }
  return next;
}

/** The token fields as a role read shows them. */
export function describeTokenFields(f: TokenFields): Record<string, unknown> {
  return {
    token_bound_cidrs: [],
    token_explicit_max_ttl: 0,
    token_max_ttl: f.tokenMaxTtl,
    token_no_default_policy: f.tokenNoDefaultPolicy,
    token_num_uses: f.tokenNumUses,
    token_period: f.tokenPeriod,
    token_policies: [...f.tokenPolicies],
    token_ttl: f.tokenTtl,
    token_type: 'default',
  };
}

/** A renewable login token carrying the role's policies and TTLs, and the login's metadata. */
export function loginResult(
  req: EngineRequest,
  role: TokenFields,
  metadata: Record<string, string>,
  displayName: string,
): VaultResult {
  const token = req.core.tokens.create({
    policies: normalisePolicies(role.tokenPolicies, role.tokenNoDefaultPolicy),
    namespace: req.namespace.path,
    noParent: true,
    ttl: role.tokenTtl || req.mount.config.default_lease_ttl,
    maxTtl: role.tokenMaxTtl,
    period: role.tokenPeriod,
    numUses: role.tokenNumUses,
    meta: metadata,
    displayName: `${req.mount.path.replace(/\/$/, '')}-${displayName}`.slice(0, 64),
    path: `auth/${req.mount.path}login`,
    entityId: randomUUID(),
    renewable: true,
  });
  return { auth: authBlock(token) };
}

/** A string field of a request body; '' when absent. */
export const textField = (body: SafeRecord, key: string): string =>
  typeof body[key] === 'string' ? body[key] : '';
