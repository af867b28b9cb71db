import { VaultHttpError } from '../../http/vault-http.error.js';
import { parseDurationSeconds } from '../../util/duration.js';
import { isPlainObject, safeRecord, type SafeRecord } from '../../util/safe-object.js';
import { parseStringList, toBool } from '../auth-params.js';
import {
  applyTokenFields,
  describeTokenFields,
  NO_TOKEN_FIELDS,
  type TokenFields,
} from '../token-fields.js';

/** A role of the `jwt` auth method: which JWTs it accepts and what tokens their logins get. */
export interface JwtRole {
  name: string;
  roleType: 'jwt' | 'oidc';
  userClaim: string;
  userClaimJsonPointer: boolean;
  boundAudiences: string[];
  boundSubject: string;
  boundClaims: Record<string, string | string[]>;
  boundClaimsType: 'string' | 'glob';
  claimMappings: Record<string, string>;
  groupsClaim: string;
  allowedRedirectUris: string[];
  clockSkewLeeway: number;
  expirationLeeway: number;
  notBeforeLeeway: number;
  token: TokenFields;
}

function newRole(name: string): JwtRole {
  return {
    name,
    roleType: 'oidc',
    userClaim: '',
    userClaimJsonPointer: false,
    boundAudiences: [],
    boundSubject: '',
    boundClaims: {},
    boundClaimsType: 'string',
    claimMappings: {},
    groupsClaim: '',
    allowedRedirectUris: [],
    clockSkewLeeway: 0,
    expirationLeeway: 0,
    notBeforeLeeway: 0,
    token: NO_TOKEN_FIELDS,
  };
}

/** A `role/<name>` write on `existing` (or a new role), checked the way Vault checks it. */
export function writeJwtRole(
  name: string,
  existing: JwtRole | undefined,
  body: SafeRecord,
): JwtRole {
  const current = existing ?? newRole(name);
  const text = (key: string, value: string) => (typeof body[key] === 'string' ? body[key] : value);
  const seconds = (key: string, value: number) =>
    body[key] === undefined ? value : parseDurationSeconds(body[key]);
  const roleType = text('role_type', current.roleType);
  if (roleType !== 'jwt' && roleType !== 'oidc') {
    throw VaultHttpError.badRequest(`invalid 'role_type': ${roleType.slice(0, 32)}`);
  }
  const boundClaimsType = text('bound_claims_type', current.boundClaimsType);
  if (boundClaimsType !== 'string' && boundClaimsType !== 'glob') {
    throw VaultHttpError.badRequest(`invalid 'bound_claims_type': ${boundClaimsType.slice(0, 32)}`);
  }
  const role: JwtRole = {
    name,
    roleType,
    userClaim: text('user_claim', current.userClaim),
    userClaimJsonPointer:
      body.user_claim_json_pointer === undefined
        ? current.userClaimJsonPointer
        : toBool(body.user_claim_json_pointer, 'user_claim_json_pointer'),
    boundAudiences: parseStringList(body.bound_audiences) ?? current.boundAudiences,
    boundSubject: text('bound_subject', current.boundSubject),
    boundClaims:
      body.bound_claims === undefined ? current.boundClaims : boundClaims(body.bound_claims),
    boundClaimsType,
    claimMappings:
      body.claim_mappings === undefined ? current.claimMappings : stringMap(body.claim_mappings),
    groupsClaim: text('groups_claim', current.groupsClaim),
    allowedRedirectUris: parseStringList(body.allowed_redirect_uris) ?? current.allowedRedirectUris,
    clockSkewLeeway: seconds('clock_skew_leeway', current.clockSkewLeeway),
    expirationLeeway: seconds('expiration_leeway', current.expirationLeeway),
    notBeforeLeeway: seconds('not_before_leeway', current.notBeforeLeeway),
    token: applyTokenFields(current.token, body),
  };
  if (!role.userClaim) throw VaultHttpError.badRequest('a user claim must be defined on the role');
  const bound =
    role.boundAudiences.length || role.boundSubject || Object.keys(role.boundClaims).length;
  if (role.roleType === 'jwt' && !bound) {
    throw VaultHttpError.badRequest(
      'must have at least one bound constraint when creating/updating a role',
    );
  }
  if (role.roleType === 'oidc' && !role.allowedRedirectUris.length) {
    throw VaultHttpError.badRequest(
      "'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified.",
    );
  }
  return role;
}

/** `GET role/<name>` data, as Vault's JWT plugin answers it. */
export function describeJwtRole(role: JwtRole) {
  return {
    allowed_redirect_uris: role.allowedRedirectUris.length ? [...role.allowedRedirectUris] : null,
    bound_audiences: role.boundAudiences.length ? [...role.boundAudiences] : null,
    bound_claims: Object.keys(role.boundClaims).length ? { ...role.boundClaims } : null,
    bound_claims_type: role.boundClaimsType,
    bound_subject: role.boundSubject,
    callback_mode: 'client',
    claim_mappings: Object.keys(role.claimMappings).length ? { ...role.claimMappings } : null,
    clock_skew_leeway: role.clockSkewLeeway,
    expiration_leeway: role.expirationLeeway,
    groups_claim: role.groupsClaim,
    max_age: 0,
    not_before_leeway: role.notBeforeLeeway,
    oauth2_metadata: null,
    oidc_disable_confirmation: false,
    oidc_scopes: null,
    role_type: role.roleType,
    token_policies_template_claims: false,
    user_claim: role.userClaim,
    user_claim_json_pointer: role.userClaimJsonPointer,
    verbose_oidc_logging: false,
    ...describeTokenFields(role.token),
  };
}

function boundClaims(value: unknown): Record<string, string | string[]> {
  if (!isPlainObject(value)) {
    throw VaultHttpError.badRequest(
      `error converting input for field "bound_claims": '' expected type 'map[string]interface {}', got unconvertible type '${typeof value === 'string' ? 'string' : 'slice'}'`,
    );
  }
  const out = safeRecord() as Record<string, string | string[]>;
  for (const [k, v] of Object.entries(value)) {
    out[k] = Array.isArray(v) ? v.map(x => String(x)) : String(v);
  }
  return out;
}

function stringMap(value: unknown): Record<string, string> {
  if (!isPlainObject(value)) throw VaultHttpError.badRequest('claim_mappings must be a map');
  const out = safeRecord() as Record<string, string>;
  for (const [k, v] of Object.entries(value)) out[k] = String(v);
  return out;
}
