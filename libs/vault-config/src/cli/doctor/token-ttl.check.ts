import { RENEW_AT_FRACTION } from '../../options/vault-config-options.defaults.js';
import type { DoctorCheck } from './doctor-check.interface.js';
import type { DoctorFocus } from './doctor-focus.js';

/**
 * After the module's renewal point (2/3 of the TTL) the token must live at least this long, so that a
 * failed renewal or login can be retried (the retry backoff grows to 30 s).
 */
export const MIN_RENEWAL_MARGIN_S = 30;

export interface TokenTerms {
  /** Remaining TTL in seconds; 0 = never expires. */
  readonly ttlS: number;
  readonly renewable: boolean;
  readonly root: boolean;
  /** The module can log in again (AppRole, Kubernetes, a token file). */
  readonly canReauthenticate: boolean;
  /** The module's `renewToken` option. */
  readonly renewToken: boolean;
}

export const formatTtl = (seconds: number): string =>
  seconds >= 86_400
    ? `${Math.floor(seconds / 86_400)}d${Math.floor((seconds % 86_400) / 3600)}h`
    : seconds >= 3600
      ? `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`
      : `${Math.floor(seconds / 60)}m${seconds % 60}s`;

/**
 * Can the module keep this token alive? Fine when it renews the token (renewable, `renewToken` on) or
 * logs in again, and the TTL leaves time to retry after the renewal point. A root token warns for an
 * app (it may do anything); for `--for-cli` it is what a migration on a dev server uses.
 */
export function checkTokenTtl(t: TokenTerms, focus: DoctorFocus): DoctorCheck {
  const check = 'token ttl';
  if (t.root) {
    return focus === 'cli'
      ? { check, status: 'ok', detail: 'root token: may do anything', fix: '-' }
      : {
          check,
          status: 'warn',
          detail: 'root token: never expires and may do anything',
          fix: 'give apps a token from a least-privilege policy (AppRole or Kubernetes auth)',
        };
  }
  if (t.ttlS <= 0) return { check, status: 'ok', detail: 'no expiry', fix: '-' };
  const detail = `expires in ${formatTtl(t.ttlS)}${t.renewable ? ', renewable' : ', not renewable'}`;
  // migrate, rotate and doctor are done in seconds: any valid token will do.
  if (focus === 'cli') return { check, status: 'ok', detail, fix: '-' };
  const renews = t.renewable && t.renewToken;
  if (!renews && !t.canReauthenticate) {
    return {
      check,
      status: 'warn',
      detail: `${detail}: after that the app cannot refresh and /health reports down`,
      fix: !t.renewable
        ? 'issue a renewable or periodic token, or use AppRole so the module can log in again'
        : 'set renewToken: true, or use AppRole so the module can log in again',
    };
  }
  const margin = t.ttlS * (1 - RENEW_AT_FRACTION);
  if (margin < MIN_RENEWAL_MARGIN_S) {
    const point = Math.round(RENEW_AT_FRACTION * 100);
    return {
      check,
      status: 'warn',
      detail: `${detail}: the module acts at ${point}% of it, leaving ${Math.floor(margin)} s to retry a failed renewal`,
      fix: `issue tokens with a TTL of at least ${Math.ceil(MIN_RENEWAL_MARGIN_S / (1 - RENEW_AT_FRACTION))} s (token_ttl)`,
    };
  }
  return { check, status: 'ok', detail, fix: '-' };
}
