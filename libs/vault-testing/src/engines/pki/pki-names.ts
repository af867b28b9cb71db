import type { PkiRole } from './pki-role.js';

/** Vault's hostnameRegex (builtin/logical/pki/cert_util.go). */
const HOSTNAME =
  /^(([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])\.)*([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])\.?$/;

const LOCAL_NAMES = ['localhost', 'localdomain'];

/** ryanuber/go-glob: `*` matches any run of characters, nothing else is special. */
function globMatches(pattern: string, name: string): boolean {
  const escaped = pattern.split('*').map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(name);
}

/**
 * Whether the role may put `name` (a common name or DNS SAN) in a certificate — Vault's
 * `validateNames`, for hostnames, `*.` wildcards and e-mail addresses: hostname syntax first (with
 * enforce_hostnames, even under allow_any_name), then localhost, then allowed_domains as bare
 * domains, subdomains or globs.
 */
export function nameAllowed(role: PkiRole, name: string): boolean {
  const at = name.lastIndexOf('@');
  const isEmail = at !== -1;
  const emailDomain = isEmail ? name.slice(at + 1) : name;
  const isWildcard = emailDomain.startsWith('*.');
  if (isEmail && isWildcard) return false;
  if (emailDomain.slice(isWildcard ? 2 : 0).includes('*')) return false;
  if (isWildcard && !role.allowWildcardCertificates) return false;
  const sanitized = isWildcard ? emailDomain.slice(2) : emailDomain;
  if (role.enforceHostnames && sanitized !== '' && !HOSTNAME.test(sanitized)) return false;
  if (role.allowAnyName) return true;
  if (role.allowLocalhost) {
    if (LOCAL_NAMES.includes(name) || (isEmail && LOCAL_NAMES.includes(emailDomain))) return true;
    const local = LOCAL_NAMES.some(
      l => sanitized.endsWith(`.${l}`) || (isWildcard && sanitized === l),
    );
    if (role.allowSubdomains && local) return true;
  }
  for (const domain of role.allowedDomains) {
    if (domain === '') continue;
    const bare = name.toLowerCase() === domain.toLowerCase();
    const bareEmail = isEmail && emailDomain.toLowerCase() === domain.toLowerCase();
    if (role.allowBareDomains && (bare || bareEmail)) return true;
    const sub =
      sanitized.endsWith(`.${domain}`) ||
      (isWildcard && sanitized.toLowerCase() === domain.toLowerCase());
    if (role.allowSubdomains && sub) return true;
    if (role.allowGlobDomains && domain.includes('*') && globMatches(domain, name)) return true;
  }
  return false;
}
