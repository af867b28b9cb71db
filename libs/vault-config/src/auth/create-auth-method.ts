import type { ResolvedAuthOptions } from '../options/resolved-vault-config-options.interface.js';
import { AppRoleAuth } from './approle.auth.js';
import type { AuthMethod } from './auth-method.interface.js';
import { AwsAuth } from './aws/aws.auth.js';
import { AzureAuth } from './azure/azure.auth.js';
import { GcpAuth } from './gcp/gcp.auth.js';
import { KubernetesAuth } from './kubernetes.auth.js';
import { TokenFileAuth } from './token-file.auth.js';
import { TokenAuth } from './token.auth.js';

export function createAuthMethod(auth: ResolvedAuthOptions, customTransport: boolean): AuthMethod {
  switch (auth.method) {
    case 'token':
      return new TokenAuth(auth.token, customTransport);
    case 'tokenFile':
      return new TokenFileAuth(auth.path);
    case 'approle':
      return new AppRoleAuth(auth.roleId, auth.secretId, auth.secretIdFile, auth.mount);
    case 'kubernetes':
      return new KubernetesAuth(auth.role, auth.jwtFile, auth.mount);
    case 'aws':
      return new AwsAuth(auth);
    case 'gcp':
      return new GcpAuth(auth);
    case 'azure':
      return new AzureAuth(auth);
  }
}
