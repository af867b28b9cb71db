import type { ResolvedAuthOptions } from '../options/resolved-vault-config-options.interface.js';
import { AppRoleAuth } from './approle.auth.js';
import type { AuthMethod } from './auth-method.interface.js';
import { CertAuth } from './cert.auth.js';
import { JwtAuth } from './jwt.auth.js';
import { KubernetesAuth } from './kubernetes.auth.js';
import { PasswordAuth } from './password.auth.js';
import { TokenFileAuth } from './token-file.auth.js';
import { TokenAuth } from './token.auth.js';

export function createAuthMethod(auth: ResolvedAuthOptions, customTransport: boolean): AuthMethod {
  switch (auth.method) {
    case 'token':
      return new TokenAuth(auth.token, customTransport);
    case 'tokenFile':
      return new TokenFileAuth(auth.path);
    case 'approle':
      return new AppRoleAuth(
        auth.roleId,
        auth.secretId,
        auth.secretIdFile,
        auth.mount,
        auth.secretIdWrapped,
      );
    case 'kubernetes':
      return new KubernetesAuth(auth.role, auth.jwtFile, auth.mount);
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
