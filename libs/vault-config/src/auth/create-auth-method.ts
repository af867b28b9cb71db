import { homedir } from 'node:os';
import type { ResolvedAuthOptions } from '../options/resolved-vault-config-options.interface.js';
import { AppRoleAuth } from './approle.auth.js';
import type { AuthMethod } from './auth-method.interface.js';
import { AwsAuth } from './aws/aws.auth.js';
import { AzureAuth } from './azure/azure.auth.js';
import { GcpAuth } from './gcp/gcp.auth.js';
import { CertAuth } from './cert.auth.js';
import { JwtAuth } from './jwt.auth.js';
import { KubernetesAuth } from './kubernetes.auth.js';
import { PasswordAuth } from './password.auth.js';
import { TokenFileAuth } from './token-file.auth.js';
import { TokenAuth } from './token.auth.js';
import { TransportTokenAuth } from './transport-token.auth.js';

/**
 * The auth method of the options. A `transport` passed in (e.g. a node-vault client) carries its own
 * token: without an `auth` option the library sends none, so neither VAULT_TOKEN nor
 * `~/.vault-token` can override it; an explicit `auth` still wins.
 */
export function createAuthMethod(
  auth: ResolvedAuthOptions,
  customTransport: boolean,
  home: () => string = homedir,
): AuthMethod {
  switch (auth.method) {
    case 'token':
      if (customTransport && auth.implicit) return new TransportTokenAuth();
      return new TokenAuth(auth.token, customTransport, home);
    case 'tokenFile':
      return new TokenFileAuth(auth.path);
    case 'approle':
      return new AppRoleAuth(
        auth.roleId,
        auth.secretId,
        auth.secretIdFile,
        auth.mount,
        auth.secretIdWrapped,
        auth.roleName,
      );
    case 'kubernetes':
      return new KubernetesAuth(auth.role, auth.jwtFile, auth.mount);
    case 'aws':
      return new AwsAuth(auth);
    case 'gcp':
      return new GcpAuth(auth);
    case 'azure':
      return new AzureAuth(auth);
    case 'jwt':
      return new JwtAuth(auth.role, auth.jwt, auth.jwtFile, auth.mount);
    case 'cert':
      return new CertAuth(auth.name, auth.mount);
    case 'userpass':
    case 'ldap':
      return new PasswordAuth(
        auth.method,
        auth.username,
        auth.password,
        auth.passwordFile,
        auth.mount,
      );
  }
}
