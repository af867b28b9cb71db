import type { AuthMethod } from '../auth/auth-method.interface.js';
import { createAuthMethod } from '../auth/create-auth-method.js';
import { createVaultClient } from '../client/create-vault-client.js';
import type { VaultClient } from '../client/vault.client.js';
import type { VaultAuthBlock } from '../interfaces/vault-envelope.interface.js';
import type { ResolvedVaultConfigOptions } from '../options/resolved-vault-config-options.interface.js';
import { validateVaultConfigOptions } from '../options/validate-vault-config-options.js';
import { CliUsageError } from './errors/cli-usage.error.js';

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
 * VAULT_ROLE_ID and VAULT_SECRET_ID (or VAULT_SECRET_ID_FILE); `--auth kubernetes` needs `--role`.
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
  switch (flags.auth) {
    case undefined:
    case 'token':
      if (flags.role !== undefined || flags['jwt-file'] !== undefined) {
        throw new CliUsageError('--role and --jwt-file need --auth kubernetes', command);
      }
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
    default:
      throw new CliUsageError('--auth must be token, approle or kubernetes', command);
  }
}

/** A client for the options, not yet logged in. */
export function createCliClient(resolved: ResolvedVaultConfigOptions): Promise<VaultClient> {
  return createVaultClient(resolved);
}

export function cliAuthMethod(resolved: ResolvedVaultConfigOptions): AuthMethod {
  return createAuthMethod(resolved.auth, resolved.transport !== undefined);
}

export interface CliVaultSession {
  readonly client: VaultClient;
  readonly login?: VaultAuthBlock;
}

/**
 * Runs `work` with a logged-in client and closes the client afterwards, whatever happens (no
 * socket stays open, so the process can exit).
 */
export async function withVaultSession<T>(
  resolved: ResolvedVaultConfigOptions,
  work: (session: CliVaultSession) => Promise<T>,
): Promise<T> {
  const client = await createCliClient(resolved);
  try {
    const login = await cliAuthMethod(resolved).authenticate(client);
    return await work({ client, ...(login ? { login } : {}) });
  } finally {
    await client.close();
  }
}

/** The connection part of every command's --help. */
export const cliVaultConnectionHelp = `
Vault connection, as the module reads it: VAULT_ADDR, VAULT_TOKEN (else ~/.vault-token),
VAULT_NAMESPACE, VAULT_CACERT, VAULT_CLIENT_CERT + VAULT_CLIENT_KEY, VAULT_SKIP_VERIFY.
  --auth <method>     token (default), approle (reads VAULT_ROLE_ID and VAULT_SECRET_ID or
                      VAULT_SECRET_ID_FILE) or kubernetes (needs --role)
  --role <role>       the Kubernetes auth role
  --jwt-file <file>   the service account token (default: the in-pod path)
  --auth-mount <m>    the auth method's mount (default: approle / kubernetes)`;
