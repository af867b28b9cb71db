import { isObject } from '../utils/is-object.js';
import { AUTH_METHOD_LIST, authReader, type AuthFieldReader } from './auth-option-reader.js';
import {
  envValue,
  isHeaderValue,
  NOT_A_HEADER_VALUE,
  optionalBoolean,
  own,
  type RawOptions,
  type Report,
} from './option-reader.js';
import { isSafePathSegment } from './path-template.js';
import type { ResolvedAuthOptions } from './resolved-vault-config-options.interface.js';
import { SensitiveValue } from './sensitive-value.js';
import { isCloudAuthMethod, validateCloudAuthOptions } from './validate-cloud-auth-options.js';
import { isLoginMethod, validateLoginAuthOptions } from './validate-login-auth-options.js';
import {
  DEFAULT_APPROLE_MOUNT,
  DEFAULT_KUBERNETES_JWT_FILE,
  DEFAULT_KUBERNETES_MOUNT,
} from './vault-config-options.defaults.js';

/**
 * How to log in to Vault: `auth` (one of AUTH_METHOD_NAMES, cloud methods included); without it,
 * the token in VAULT_TOKEN. Credentials are wrapped in SensitiveValue at once, and a problem names
 * only the option, never its value, so no secret can reach a log through the options.
 * Undefined when `auth` is unusable (the problem is reported).
 */
export function validateAuthOptions(
  raw: RawOptions,
  env: NodeJS.ProcessEnv,
  problem: Report,
): ResolvedAuthOptions | undefined {
  const v = own(raw, 'auth');
  if (v === undefined) {
    const token = tokenFromEnv(env, problem);
    return token
      ? { method: 'token', token, tokenFrom: 'VAULT_TOKEN', implicit: true }
      : { method: 'token', implicit: true };
  }
  if (!isObject(v)) {
    problem('auth', `must be an object with a method (${AUTH_METHOD_LIST})`);
    return undefined;
  }
  const method = own(v, 'method');
  if (isCloudAuthMethod(method)) return validateCloudAuthOptions(v, method, env, problem);
  const read = authReader(v, problem);
  switch (method) {
    case 'token': {
      const token = read.optional('token');
      if (token !== undefined) {
        if (!isHeaderValue(token.trim())) problem('auth.token', NOT_A_HEADER_VALUE);
        return { method, token: new SensitiveValue(token.trim()), tokenFrom: 'auth.token' };
      }
      const fromEnv = tokenFromEnv(env, problem);
      return fromEnv ? { method, token: fromEnv, tokenFrom: 'VAULT_TOKEN' } : { method };
    }
    case 'tokenFile': {
      const path = read.required('path');
      return { method, path: path ?? '' };
    }
    case 'approle': {
      const roleId = read.required('roleId');
      const { inline: secretId, file: secretIdFile } = read.oneOf('secretId', 'secretIdFile');
      const secretIdWrapped =
        optionalBoolean(v, 'secretIdWrapped', problem, 'auth.secretIdWrapped') ?? false;
      const roleName = approleRoleName(read, secretIdWrapped, problem);
      return {
        method,
        roleId: new SensitiveValue(roleId ?? ''),
        ...(secretId !== undefined ? { secretId: new SensitiveValue(secretId) } : {}),
        ...(secretIdFile !== undefined ? { secretIdFile } : {}),
        secretIdWrapped,
        ...(roleName !== undefined ? { roleName } : {}),
        mount: read.mount(DEFAULT_APPROLE_MOUNT),
      };
    }
    case 'kubernetes': {
      const role = read.required('role');
      return {
        method,
        role: role ?? '',
        jwtFile: read.optional('jwtFile') ?? DEFAULT_KUBERNETES_JWT_FILE,
        mount: read.mount(DEFAULT_KUBERNETES_MOUNT),
      };
    }
    default:
      if (isLoginMethod(method)) return validateLoginAuthOptions(method, read, problem);
      problem('auth.method', `must be ${AUTH_METHOD_LIST}`);
      return undefined;
  }
}

/** `auth.roleName`: one path segment, and only meaningful for a wrapped secret ID. */
function approleRoleName(
  read: AuthFieldReader,
  wrapped: boolean,
  problem: Report,
): string | undefined {
  const roleName = read.optional('roleName')?.trim();
  if (roleName === undefined) return undefined;
  if (!isSafePathSegment(roleName)) {
    problem('auth.roleName', 'must be an AppRole role name (letters, digits, ".", "_", "-")');
    return undefined;
  }
  if (!wrapped) problem('auth.roleName', 'is only used with auth.secretIdWrapped: true');
  return roleName;
}

function tokenFromEnv(env: NodeJS.ProcessEnv, problem: Report): SensitiveValue | undefined {
  const t = envValue(env, 'VAULT_TOKEN');
  if (t !== undefined && !isHeaderValue(t))
    problem('auth.token (from VAULT_TOKEN)', NOT_A_HEADER_VALUE);
  return t !== undefined ? new SensitiveValue(t) : undefined;
}
