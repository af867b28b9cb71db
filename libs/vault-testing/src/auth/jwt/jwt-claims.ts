import { VaultHttpError } from '../../http/vault-http.error.js';
import { asText } from '../../util/as-text.js';
import type { SafeRecord } from '../../util/safe-object.js';
import { isPlainObject } from '../../util/safe-object.js';
import type { JwtRole } from './jwt-role.js';

const tokenError = (reason: string) =>
  VaultHttpError.badRequest(`error validating token: ${reason}`);

/** Vault's default leeway for exp / nbf / iat when the role sets 0 (`clock_skew_leeway`). */
const DEFAULT_SKEW_S = 60;

const leeway = (value: number, fallback: number) => (value < 0 ? 0 : value || fallback);

/**
 * The claim checks of Vault's JWT method, in its order: issuer, subject, audience, expiry and
 * not-before (iat stands in for a missing nbf), each with the role's leeways.
 */
export function validateStandardClaims(
  claims: SafeRecord,
  role: JwtRole,
  boundIssuer: string,
  nowS: number,
): void {
  if (boundIssuer && claims.iss !== boundIssuer) throw tokenError('invalid issuer (iss) claim');
  if (role.boundSubject && claims.sub !== role.boundSubject) {
    throw tokenError('invalid subject (sub) claim');
  }
  const audiences = audienceOf(claims);
  if (role.boundAudiences.length && !audiences.some(a => role.boundAudiences.includes(a))) {
    throw tokenError(
      'invalid audience (aud) claim: audience claim does not match any expected audience',
    );
  }
  const skew = leeway(role.clockSkewLeeway, DEFAULT_SKEW_S);
  const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
  if (exp !== undefined && nowS > exp + skew + leeway(role.expirationLeeway, 0)) {
    throw tokenError('invalid expiration time (exp) claim: token is expired');
  }
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : claims.iat;
  if (typeof nbf === 'number' && nowS + skew + leeway(role.notBeforeLeeway, 0) < nbf) {
    throw tokenError('invalid not before (nbf) claim: token not yet valid');
  }
  if (!role.boundAudiences.length && audiences.length) {
    throw VaultHttpError.badRequest(
      'audience claim found in JWT but no audiences bound to the role',
    );
  }
}

/** The role's `user_claim` value: the identity of the login. */
export function userClaimOf(claims: SafeRecord, role: JwtRole): string {
  const value = claimAt(claims, role.userClaim, role.userClaimJsonPointer);
  if (value === undefined) {
    throw VaultHttpError.badRequest(`claim "${role.userClaim}" not found in token`);
  }
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw VaultHttpError.badRequest(`claim "${role.userClaim}" could not be converted to string`);
  }
  return String(value);
}

/** `bound_claims`: each claim must hold (one of) the bound values, exact or as a glob. */
export function validateBoundClaims(claims: SafeRecord, role: JwtRole): void {
  for (const [name, bound] of Object.entries(role.boundClaims)) {
    const value = claimAt(claims, name, name.startsWith('/'));
    if (value === undefined) {
      throw VaultHttpError.badRequest(`error validating claims: claim "${name}" is missing`);
    }
    const actual = (Array.isArray(value) ? value : [value]).map(v => String(v));
    const expected = (Array.isArray(bound) ? bound : [bound]).map(v => String(v));
    const glob = role.boundClaimsType === 'glob';
    if (!actual.some(a => expected.some(e => (glob ? globMatch(e, a) : e === a)))) {
      throw VaultHttpError.badRequest(
        `error validating claims: claim "${name}" does not match any associated bound claim values`,
      );
    }
  }
}

/** `claim_mappings`: claim → metadata key, for the claims the JWT has. */
export function mappedClaims(claims: SafeRecord, role: JwtRole): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [claim, key] of Object.entries(role.claimMappings)) {
    const value = claimAt(claims, claim, claim.startsWith('/'));
    if (value !== undefined && !isPlainObject(value)) out[key] = asText(value);
  }
  return out;
}

function audienceOf(claims: SafeRecord): string[] {
  const aud = claims.aud;
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

/** A top-level claim, or with a JSON pointer (`/nested/claim`) a nested one. */
function claimAt(claims: SafeRecord, name: string, pointer: boolean): unknown {
  if (!pointer) return Object.hasOwn(claims, name) ? claims[name] : undefined;
  let at: unknown = claims;
  for (const raw of name.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (!isPlainObject(at) || !Object.hasOwn(at, key)) return undefined;
    at = at[key];
  }
  return at;
}

/** ryanuber/go-glob as Vault uses it: `*` matches any run of characters, nothing else is special. */
function globMatch(pattern: string, value: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === value;
  if (!value.startsWith(parts[0]) || !value.endsWith(parts[parts.length - 1])) return false;
  let at = parts[0].length;
  for (const middle of parts.slice(1, -1)) {
    const found = value.indexOf(middle, at);
    if (found < 0) return false;
    at = found + middle.length;
  }
  return at <= value.length - parts[parts.length - 1].length;
}
