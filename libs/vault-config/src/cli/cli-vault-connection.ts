import { openVaultSession, type VaultSession } from '../client/vault-session.js';
import { describeTokenSource, explainDenial } from '../loading/explain-denial.js';
import type { ResolvedVaultConfigOptions } from '../options/resolved-vault-config-options.interface.js';
import { validateVaultConfigOptions } from '../options/validate-vault-config-options.js';
import { CliUsageError } from './errors/cli-usage.error.js';
import { revokeLoginToken } from './revoke-login-token.js';

/** The login flags shared by every command. */
export interface ConnectionFlags {
  auth?: string;
  role?: string;
  'auth-mount'?: string;
  'jwt-file'?: string;
}

/**
 * Options as the module resolves them: `extra` (e.g. a doctor `--config` file) plus the auth chosen
 * on the command line, with VAULT_ADDR, VAULT_TOKEN (else ~/.vault-token), VAULT_NAMESPACE,
 * VAULT_CACERT, VAULT_CLIENT_CERT/KEY and VAULT_SKIP_VERIFY from `env`. `--auth approle` reads
 * VAULT_ROLE_ID and VAULT_SECRET_ID (or VAULT_SECRET_ID_FILE); `--auth kubernetes` needs `--role`;
 * `--auth jwt` needs `--role` and `--jwt-file`; `--auth userpass|ldap` reads VAULT_USERNAME and
 * VAULT_PASSWORD; `--auth cert` presents VAULT_CLIENT_CERT / VAULT_CLIENT_KEY.
 */
export function resolveCliOptions(
  command: string,
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  extra: Record<string, unknown> = {},
): ResolvedVaultConfigOptions {
  const auth = authFromFlags(command, flags, env);
  return validateVaultConfigOptions({ ...extra, ...(auth ? { auth } : {}) }, env);
}

function authFromFlags(
  command: string,
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
): Record<string, unknown> | undefined {
  const mount = flags['auth-mount'] !== undefined ? { mount: flags['auth-mount'] } : {};
  const takesRole = flags.auth === 'kubernetes' || flags.auth === 'jwt';
  if (!takesRole && (flags.role !== undefined || flags['jwt-file'] !== undefined)) {
    throw new CliUsageError('--role and --jwt-file need --auth kubernetes or jwt', command);
  }
  switch (flags.auth) {
    case undefined:
    case 'token':
      return undefined;
    case 'approle': {
      const roleId = env.VAULT_ROLE_ID?.trim();
      const secretId = env.VAULT_SECRET_ID?.trim();
      const secretIdFile = env.VAULT_SECRET_ID_FILE?.trim();
      if (!roleId || (!secretId && !secretIdFile)) {
        throw new CliUsageError(
          '--auth approle needs VAULT_ROLE_ID and VAULT_SECRET_ID (or VAULT_SECRET_ID_FILE)',
          command,
        );
      }
      return {
        method: 'approle',
        roleId,
        ...(secretId ? { secretId } : { secretIdFile }),
        ...mount,
      };
    }
    case 'kubernetes':
      if (!flags.role) throw new CliUsageError('--auth kubernetes needs --role', command);
      return {
        method: 'kubernetes',
        role: flags.role,
        ...(flags['jwt-file'] !== undefined ? { jwtFile: flags['jwt-file'] } : {}),
        ...mount,
      };
    case 'jwt':
      if (!flags.role || !flags['jwt-file']) {
        throw new CliUsageError('--auth jwt needs --role and --jwt-file', command);
      }
      return { method: 'jwt', role: flags.role, jwtFile: flags['jwt-file'], ...mount };
    case 'userpass':
    case 'ldap': {
      const username = env.VAULT_USERNAME?.trim();
      const password = env.VAULT_PASSWORD;
      if (!username || !password) {
        throw new CliUsageError(
          `--auth ${flags.auth} needs VAULT_USERNAME and VAULT_PASSWORD`,
          command,
        );
      }
      return { method: flags.auth, username, password, ...mount };
    }
    case 'cert':
      return { method: 'cert', ...mount };
    default:
      throw new CliUsageError(
        '--auth must be token, approle, kubernetes, jwt, cert, userpass or ldap',
        command,
      );
  }
}

/**
 * Runs `work` with a logged-in client; afterwards, whatever happens, revokes the token of our own
 * login (AppRole, Kubernetes: no login token outlives the command) and closes the client (no socket
 * stays open, so the process can exit).
 */
export async function withVaultSession<T>(
  resolved: ResolvedVaultConfigOptions,
  work: (session: VaultSession) => Promise<T>,
): Promise<T> {
  const session = await openVaultSession(resolved);
  try {
    return await work(session);
  } catch (error) {
    const source = describeTokenSource(resolved.auth, resolved.transport !== undefined);
    throw await explainDenial(session.client, error, source);
  } finally {
    await revokeLoginToken(session);
    await session.close();
  }
}

/** The connection part of every command's --help. */
export const cliVaultConnectionHelp = `
Vault connection, as the module reads it: VAULT_ADDR, VAULT_TOKEN (else ~/.vault-token),
VAULT_NAMESPACE, VAULT_CACERT, VAULT_CLIENT_CERT + VAULT_CLIENT_KEY, VAULT_SKIP_VERIFY.
  --auth <method>     token (default); approle (reads VAULT_ROLE_ID and VAULT_SECRET_ID or
                      VAULT_SECRET_ID_FILE); kubernetes (needs --role); jwt (needs --role and
                      --jwt-file); cert (presents VAULT_CLIENT_CERT + VAULT_CLIENT_KEY);
                      userpass or ldap (read VAULT_USERNAME and VAULT_PASSWORD)
  --role <role>       the Kubernetes or JWT auth role
  --jwt-file <file>   the JWT (kubernetes default: the service account token's in-pod path)
  --auth-mount <m>    the auth method's mount (default: the method's name)`;
