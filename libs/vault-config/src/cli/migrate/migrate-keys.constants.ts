/**
 * Which keys of a .env file `vault-config migrate` moves to Vault by default. Documented in
 * docs/migration-guide.md ("Which keys move"); keep the two in step.
 */

/**
 * Never moved, not even when named with --only: the module reads them from the environment to
 * reach Vault (VAULT_ADDR, VAULT_TOKEN, ...) and to pick the path before Vault is read (NODE_ENV
 * fills `{env}`), so they cannot come from Vault.
 */
export const NEVER_MOVED_PREFIXES: readonly string[] = ['VAULT_'];
export const NEVER_MOVED_KEYS: readonly string[] = ['NODE_ENV'];

/**
 * Well-known settings that are not secrets, many read by Node.js, the shell or npm before the app
 * runs (where Vault cannot supply them). They stay in the file unless --only names them. Names are
 * matched exactly (environment variables are case-sensitive).
 */
export const NON_SECRET_KEYS: readonly string[] = [
  // the app's own plain settings, by common convention
  'PORT',
  'HOST',
  'HOSTNAME',
  'LOG_LEVEL',
  'DEBUG',
  // Node.js reads these at start-up
  'NODE_OPTIONS',
  'NODE_EXTRA_CA_CERTS',
  'NODE_TLS_REJECT_UNAUTHORIZED',
  'NODE_NO_WARNINGS',
  'NODE_DEBUG',
  'NODE_PATH',
  'UV_THREADPOOL_SIZE',
  'TZ',
  // terminal, locale and shell
  'NO_COLOR',
  'FORCE_COLOR',
  'TERM',
  'LANG',
  'LANGUAGE',
  'PATH',
  'HOME',
  'USER',
  'SHELL',
  'PWD',
  'TMPDIR',
  'CI',
];

/** Prefixes of non-secret settings: locale categories (LC_ALL, LC_CTYPE, ...) and npm's own. */
export const NON_SECRET_PREFIXES: readonly string[] = ['LC_', 'npm_'];
