import type { AuthFieldReader } from './auth-option-reader.js';
import type { Report } from './option-reader.js';
import type { ResolvedAuthOptions } from './resolved-vault-config-options.interface.js';
import { SensitiveValue } from './sensitive-value.js';
import {
  DEFAULT_CERT_MOUNT,
  DEFAULT_JWT_MOUNT,
  DEFAULT_LDAP_MOUNT,
  DEFAULT_USERPASS_MOUNT,
} from './vault-config-options.defaults.js';

type LoginMethod = 'jwt' | 'cert' | 'userpass' | 'ldap';

export const isLoginMethod = (m: unknown): m is LoginMethod =>
  m === 'jwt' || m === 'cert' || m === 'userpass' || m === 'ldap';

/**
 * The login methods that prove who we are with something other than an AppRole or a pod: a JWT,
 * a TLS client certificate, a username and password (userpass, LDAP). Credentials given inline are
 * wrapped in SensitiveValue at once; files are only named here and read at each login.
 */
export function validateLoginAuthOptions(
  method: LoginMethod,
  read: AuthFieldReader,
  problem: Report,
): ResolvedAuthOptions {
  switch (method) {
    case 'jwt': {
      const role = read.required('role');
      const { inline, file } = read.oneOf('jwt', 'jwtFile');
      return {
        method,
        role: role ?? '',
        ...(inline !== undefined ? { jwt: new SensitiveValue(inline.trim()) } : {}),
        ...(file !== undefined ? { jwtFile: file } : {}),
        mount: read.mount(DEFAULT_JWT_MOUNT),
      };
    }
    case 'cert': {
      const name = read.optional('name');
      return {
        method,
        ...(name !== undefined ? { name } : {}),
        mount: read.mount(DEFAULT_CERT_MOUNT),
      };
    }
    case 'userpass':
    case 'ldap': {
      const username = read.required('username');
      if (username?.includes('/')) problem('auth.username', 'must not contain "/"');
      const { inline, file } = read.oneOf('password', 'passwordFile');
      return {
        method,
        username: username?.trim() ?? '',
        // A password is taken as given: spaces may be part of it.
        ...(inline !== undefined ? { password: new SensitiveValue(inline) } : {}),
        ...(file !== undefined ? { passwordFile: file } : {}),
        mount: read.mount(method === 'ldap' ? DEFAULT_LDAP_MOUNT : DEFAULT_USERPASS_MOUNT),
      };
    }
  }
}
