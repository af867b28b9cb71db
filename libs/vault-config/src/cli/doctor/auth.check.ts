import type { AuthMethod } from '../../auth/auth-method.interface.js';
import type { VaultClient } from '../../client/vault.client.js';
import { VaultPermissionError } from '../../errors/vault-permission.error.js';
import type { VaultAuthBlock } from '../../interfaces/vault-envelope.interface.js';
import type { ResolvedVaultConfigOptions } from '../../options/resolved-vault-config-options.interface.js';
import { describeError } from '../../errors/describe-error.js';
import type { DoctorCheck } from './doctor-check.interface.js';
import type { DoctorFocus } from './doctor-focus.js';
import { checkTokenTtl } from './token-ttl.check.js';

export interface AuthCheckResult {
  readonly checks: DoctorCheck[];
  readonly authenticated: boolean;
}

function authFix(resolved: ResolvedVaultConfigOptions): string {
  switch (resolved.auth.method) {
    case 'approle':
      return 'check VAULT_ROLE_ID / VAULT_SECRET_ID and the role: vault read auth/approle/role/<name>';
    case 'kubernetes':
      return "check --role and the role's bound service account names and namespaces";
    case 'jwt':
      return "check --role, the JWT's issuer, audience and expiry, and the role's bound claims";
    case 'cert':
      return "check VAULT_CLIENT_CERT / VAULT_CLIENT_KEY and the cert role's trusted certificate";
    case 'userpass':
    case 'ldap':
      return 'check VAULT_USERNAME / VAULT_PASSWORD and the auth mount';
    case 'tokenFile':
      return 'check that the token file exists and holds a valid token';
    default:
      return 'set VAULT_TOKEN (e.g. from vault login) or write it to ~/.vault-token';
  }
}

function describeMethod(resolved: ResolvedVaultConfigOptions): string {
  const auth = resolved.auth;
  if (auth.method === 'token') return auth.token ? 'token (VAULT_TOKEN)' : 'token (~/.vault-token)';
  return auth.method;
}

/** Logs in (or takes the token), looks the token up, and judges its TTL and policies. */
export async function checkAuth(
  client: VaultClient,
  resolved: ResolvedVaultConfigOptions,
  method: AuthMethod,
  focus: DoctorFocus,
): Promise<AuthCheckResult> {
  const how = describeMethod(resolved);
  let login: VaultAuthBlock | undefined;
  try {
    login = await method.authenticate(client);
  } catch (error) {
    return {
      checks: [
        { check: 'auth', status: 'fail', detail: describeError(error), fix: authFix(resolved) },
      ],
      authenticated: false,
    };
  }
  let self: Record<string, unknown>;
  try {
    self = await client.lookupSelf();
  } catch (error) {
    if (error instanceof VaultPermissionError) {
      return {
        checks: [
          {
            check: 'auth',
            status: 'fail',
            detail: `${how}: Vault rejects the token (invalid, expired or revoked)`,
            fix: authFix(resolved),
          },
        ],
        authenticated: false,
      };
    }
    return {
      checks: [
        { check: 'auth', status: 'ok', detail: `${how}: logged in`, fix: '-' },
        {
          check: 'token ttl',
          status: 'warn',
          detail: `cannot look the token up (${describeError(error)})`,
          fix: 'allow auth/token/lookup-self (the default policy does)',
        },
      ],
      authenticated: true,
    };
  }
  const policies = Array.isArray(self.policies)
    ? self.policies.filter((p): p is string => typeof p === 'string')
    : (login?.policies ?? []);
  const checks: DoctorCheck[] = [
    {
      check: 'auth',
      status: 'ok',
      detail: `${how}: valid; policies ${policies.join(', ') || 'none'}`,
      fix: '-',
    },
  ];
  const ttl = typeof self.ttl === 'number' ? self.ttl : (login?.lease_duration ?? 0);
  const renewable = self.renewable === true || login?.renewable === true;
  checks.push(
    checkTokenTtl(
      {
        ttlS: ttl,
        renewable,
        root: policies.includes('root'),
        canReauthenticate: method.canReauthenticate && resolved.auth.method !== 'token',
        renewToken: resolved.renewToken,
      },
      focus,
    ),
  );
  return { checks, authenticated: true };
}
