import { randomUUID } from 'node:crypto';
import type { EngineRequest } from '../engines/secret-engine.interface.js';
import { VaultHttpError } from '../http/vault-http.error.js';
import type { RenewCheck } from '../state/token-entry.js';
import { parseDurationSeconds } from '../util/duration.js';
import type { SafeRecord } from '../util/safe-object.js';
import { parseNumber, parseStringList, toBool } from './auth-params.js';
import { normalisePolicies } from './token-auth.backend.js';
import { authBlock } from './token-response.js';

/** Vault's `tokenutil` fields, shared by every auth method's roles, users and certificates. */
export interface TokenFields {
  policies: string[];
  ttl: number;
  maxTtl: number;
  explicitMaxTtl: number;
  period: number;
  numUses: number;
  noDefaultPolicy: boolean;
}

export const NO_TOKEN_FIELDS: TokenFields = {
  policies: [],
  ttl: 0,
  maxTtl: 0,
  explicitMaxTtl: 0,
  period: 0,
  numUses: 0,
  noDefaultPolicy: false,
};

/** Vault's policyutil.SanitizePolicies: trimmed, lower-cased, without duplicates, sorted. */
export function sanitizePolicies(value: unknown): string[] | undefined {
  const list = parseStringList(value);
  return list && [...new Set(list.map(p => p.trim().toLowerCase()).filter(Boolean))].sort();
}

/** `current` with the `token_*` fields of a write applied (absent ones keep their value). */
export function applyTokenFields(current: TokenFields, body: SafeRecord): TokenFields {
  const dur = (key: string, value: number) =>
    body[key] === undefined ? value : parseDurationSeconds(body[key]);
  const next: TokenFields = {
    policies: sanitizePolicies(body.token_policies ?? body.policies) ?? current.policies,
    ttl: dur('token_ttl', dur('ttl', current.ttl)),
    maxTtl: dur('token_max_ttl', dur('max_ttl', current.maxTtl)),
    explicitMaxTtl: dur('token_explicit_max_ttl', current.explicitMaxTtl),
    period: dur('token_period', dur('period', current.period)),
    numUses: parseNumber(body.token_num_uses, current.numUses),
    noDefaultPolicy:
      body.token_no_default_policy === undefined
        ? current.noDefaultPolicy
        : toBool(body.token_no_default_policy, 'token_no_default_policy'),
  };
  if (next.maxTtl > 0 && next.ttl > next.maxTtl) {
    throw VaultHttpError.badRequest("'token_ttl' cannot be greater than 'token_max_ttl'");
  }
  return next;
}

/** The `token_*` fields as a read returns them. */
export function describeTokenFields(f: TokenFields) {
  return {
    token_bound_cidrs: [],
    token_explicit_max_ttl: f.explicitMaxTtl,
    token_max_ttl: f.maxTtl,
    token_no_default_policy: f.noDefaultPolicy,
    token_num_uses: f.numUses,
    token_period: f.period,
    token_policies: [...f.policies],
    token_strictly_bind_ip: false,
    token_ttl: f.ttl,
    token_type: 'default',
  };
}

export interface LoginIdentity {
  /** Returned as `auth.metadata`. */
  metadata: Record<string, string>;
  /** Shown in lookups as `<mount>-<name>`. */
  name: string;
  /** Policies granted besides the fields' own (LDAP groups). */
  extraPolicies?: string[];
  renewCheck?: RenewCheck;
}

/** A login's token: an orphan service token, TTLs from the fields, else the mount's default. */
export function issueLoginToken(req: EngineRequest, fields: TokenFields, who: LoginIdentity) {
  const mount = req.mount.path.replace(/\/$/, '');
  const token = req.core.tokens.create({
    policies: normalisePolicies(
      [...fields.policies, ...(who.extraPolicies ?? [])],
      fields.noDefaultPolicy,
    ),
    namespace: req.namespace.path,
    noParent: true,
    ttl: fields.ttl || req.mount.config.default_lease_ttl,
    maxTtl: fields.maxTtl,
    explicitMaxTtl: fields.explicitMaxTtl,
    period: fields.period,
    numUses: fields.numUses,
    meta: who.metadata,
    displayName: who.name ? `${mount}-${who.name}` : mount,
    path: `auth/${req.mount.path}${req.path}`,
    entityId: randomUUID(),
    renewable: true,
    ...(who.renewCheck ? { renewCheck: who.renewCheck } : {}),
  });
  return { auth: authBlock(token) };
}
